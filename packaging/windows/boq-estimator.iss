; Inno Setup script: the Windows installer of BoQ Estimator, made from the folder that
; scripts\bundle.ps1 builds (dist\boq-estimator\). Inno Setup 6.5 or newer (Arabic.isl is an
; official translation from 6.5). Build, from the project folder:
;   iscc /DAppVersion=0.1.0 packaging\windows\boq-estimator.iss
; Output: dist\boq-estimator-<version>-setup.exe
;
; Per-user install without admin rights (PrivilegesRequired=lowest): the program goes to the user's
; own Programs folder, the Start menu entry and the .boq association go under HKCU; the uninstaller
; removes all three. The user's programmes and rate library (in %LOCALAPPDATA%\boq-estimator) are
; kept on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "BoQ Estimator"
#define AppExe "boq-estimator.exe"
#define Packaging ".."
#define Bundle Packaging + "\..\dist\boq-estimator"

[Setup]
AppId={{6B3C2E51-8F0A-4C7B-9B52-2D4B0A9E7C13}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=BoQ Estimator developers
AppPublisherURL=https://github.com/boq-estimator/boq-estimator
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Packaging}\..\dist
OutputBaseFilename=boq-estimator-{#AppVersion}-setup
SetupIconFile={#Packaging}\boq-estimator.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ar"; MessagesFile: "compiler:Languages\Arabic.isl"

[CustomMessages]
en.BoqFile=BoQ Estimator programme
ar.BoqFile=برنامج حساب الكميات BoQ Estimator
en.AssocTask=Open .boq programmes with {#AppName}
ar.AssocTask=فتح ملفات ‎.boq‎ باستخدام {#AppName}
en.CommandLine=BoQ Estimator command line (boq)
ar.CommandLine=سطر أوامر BoQ Estimator ‏(boq)

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "association"; Description: "{cm:AssocTask}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Packaging}\boq-estimator.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ""{app}\boq.exe"" --help"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The .boq association, per user (HKCU\Software\Classes), removed by the uninstaller.
Root: HKCU; Subkey: "Software\Classes\.boq"; ValueType: string; ValueName: ""; ValueData: "BoQEstimator.Programme"; Flags: uninsdeletevalue; Tasks: association
Root: HKCU; Subkey: "Software\Classes\.boq\OpenWithProgids"; ValueType: string; ValueName: "BoQEstimator.Programme"; ValueData: ""; Flags: uninsdeletevalue; Tasks: association
Root: HKCU; Subkey: "Software\Classes\BoQEstimator.Programme"; ValueType: string; ValueName: ""; ValueData: "{cm:BoqFile}"; Flags: uninsdeletekey; Tasks: association
Root: HKCU; Subkey: "Software\Classes\BoQEstimator.Programme\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\boq-estimator.ico,0"; Tasks: association
Root: HKCU; Subkey: "Software\Classes\BoQEstimator.Programme\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: association
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".boq"; ValueData: ""; Flags: uninsdeletekey; Tasks: association

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
