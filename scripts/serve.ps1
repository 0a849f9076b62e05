# Windows: sets up .venv (setup.ps1) and serves the site built from the shipped content on http://127.0.0.1:8000/.
# Extra arguments go to `build.py serve`, e.g. `--content examples\demo`. Serve makes no PDFs, so it needs no Pango.
$serveArguments = $args
. (Join-Path $PSScriptRoot 'setup.ps1')
Invoke-Checked .venv\Scripts\python.exe build.py serve @serveArguments
