# Builds the self-contained application folder dist\boq-estimator\ on Windows (PyInstaller onedir,
# spec in packaging\): boq-estimator.exe (the window), boq.exe (the command line), the rate library,
# templates and fonts; then the portable zip dist\boq-estimator-<version>-windows-portable.zip.
# Makes .venv with Python 3.12 (the py launcher) if missing and installs PyInstaller into it (the
# `bundle` extra) if it is not there. The installer is built from the folder by Inno Setup:
#   iscc packaging\windows\boq-estimator.iss
# Run from anywhere:  powershell -ExecutionPolicy Bypass -File scripts\bundle.ps1
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "bundle: '$Exe $($Arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

$python = ".venv\Scripts\python.exe"
if (-not (Test-Path $python)) {
    Write-Host "bundle: creating .venv (Python 3.12)"
    Invoke-Checked "py" @("-3.12", "-m", "venv", ".venv")
    Invoke-Checked $python @("-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade", "pip")
    Invoke-Checked $python @("-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".[test]")
}
& $python -c "import PyInstaller" 2>$null
if ($LASTEXITCODE -ne 0) {
    Write-Host "bundle: installing PyInstaller into .venv"
    Invoke-Checked $python @("-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".[bundle]")
}

Invoke-Checked $python @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist", "--workpath", "build\pyinstaller", "packaging\boq-estimator.spec")
$folder = "dist\boq-estimator"
$commit = (git rev-parse HEAD 2>$null)
if ($LASTEXITCODE -eq 0 -and $commit) { Set-Content -Path "$folder\BUILT_FROM" -Value $commit -Encoding ascii }

$version = (& $python -c "import estimator; print(estimator.__version__)").Trim()
$zip = "dist\boq-estimator-$version-windows-portable.zip"
if (Test-Path $zip) { Remove-Item $zip }
Compress-Archive -Path $folder -DestinationPath $zip
$size = [math]::Round(((Get-ChildItem $folder -Recurse -File | Measure-Object -Property Length -Sum).Sum / 1MB), 1)
Write-Host "bundle: $folder ($size MB), $zip; run $folder\boq-estimator.exe or $folder\boq.exe"
