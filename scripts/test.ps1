# Windows: sets up .venv (setup.ps1) and runs ruff and the tests that need neither a browser nor POSIX fork or
# signals (markers `browser` and `posix`). Extra arguments go to pytest. The PDF tests need Pango, installed as
# WeasyPrint's documentation says for Windows (MSYS2: pacman -S mingw-w64-ucrt-x86_64-pango); MSYS2's default
# folder is used when WEASYPRINT_DLL_DIRECTORIES is not set.
$pytestArguments = $args
. (Join-Path $PSScriptRoot 'setup.ps1')
if (-not $env:WEASYPRINT_DLL_DIRECTORIES -and (Test-Path 'C:\msys64\ucrt64\bin')) {
    $env:WEASYPRINT_DLL_DIRECTORIES = 'C:\msys64\ucrt64\bin'
}
Invoke-Checked .venv\Scripts\ruff.exe check .
Invoke-Checked .venv\Scripts\ruff.exe format --check .
Invoke-Checked .venv\Scripts\python.exe -m pytest -m 'not browser and not posix' @pytestArguments
