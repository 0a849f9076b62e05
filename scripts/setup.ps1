# Windows: makes .venv with exactly the versions in requirements.lock, as scripts/setup does on Debian/Ubuntu, for
# serve.ps1 and test.ps1 (which dot-source it, and so share Invoke-Checked) and the Windows job in ci.yml.
# Needs Python 3.11 or later as `python`. ASCII only: Windows PowerShell 5.1 reads a script without BOM as ANSI.
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')

function Invoke-Checked {
    # Runs a program and stops at its failure, which PowerShell would otherwise go past. A simple function, so that
    # arguments such as -m reach the program instead of being read as this function's parameters.
    $program = $args[0]
    $arguments = @($args | Select-Object -Skip 1)
    & $program @arguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

Write-Host 'Installerar Python-paketen i requirements.lock i .venv ...'
Invoke-Checked python -m venv .venv
Invoke-Checked .venv\Scripts\python.exe -m pip install -q --require-hashes -r requirements-pip.lock
Invoke-Checked .venv\Scripts\python.exe -m pip install -q --require-hashes -r requirements.lock
Invoke-Checked .venv\Scripts\python.exe -m pip install -q --no-deps -e .
