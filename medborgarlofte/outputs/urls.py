"""Where the site is published, and how every link and absolute address is made from that."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SiteUrls:
    """The address the site is published at: `https://example.org/medborgarloften/` → base path `/medborgarloften/`."""

    base_url: str

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def url(self, path: str = "") -> str:
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/") if path else self.base_url.rstrip("/") + "/"
