; Ecert Desktop's Windows installer (NSIS 3.08+, built on Linux by build/scripts/package.sh
; with Debian's makensis). It installs per user (no administrator rights, into
; %LOCALAPPDATA%\Programs\Ecert Desktop) or for all users (into Program Files): the user
; chooses on a page, or with /CurrentUser or /AllUsers on the command line (/S: silent;
; /NoWebView2: do not install the WebView2 runtime).
;
; Defines given by package.sh (-D):
;   VERSION         1.2.3 (four numbers are derived for the file's version resource)
;   VERSION4        1.2.3.0
;   APP_EXE         the window build (-H windowsgui)
;   CLI_EXE         the console build of the headless commands
;   ICON            the .ico
;   OUTFILE         where the installer goes
;   LICENSE_FILE    the licence shown before installing
;   WEBVIEW2_BOOTSTRAPPER  (optional) Microsoft's WebView2 bootstrapper
;                   (MicrosoftEdgeWebview2Setup.exe); embedded when given, run when the
;                   runtime is missing. Without it the installer says where to get it.
;   SIGN_CMD        (optional) a command that signs the file "%1" in place: the uninstaller
;                   is signed with it as it is written.
;   COMPRESSOR      (optional, tests only) SetCompressor's arguments; "/SOLID lzma" else.
;
; The user's data (%LOCALAPPDATA%\ecert-desktop: the replica, evidence, the login file)
; is never touched, neither here nor by the uninstaller.

; A 64-bit installer for a 64-bit app: it writes the registry's 64-bit view and installs
; into the 64-bit Program Files, and runs where 32-bit Windows programs cannot (Wine
; without its 32-bit part, as in the tests).
Target amd64-unicode
; A release is packed with solid LZMA (the smallest download). The signing test, which
; re-packs only to check the signatures, asks for zlib (COMPRESSOR), many times faster.
!ifndef COMPRESSOR
  !define COMPRESSOR "/SOLID lzma"
!endif
SetCompressor ${COMPRESSOR}
ManifestDPIAware true

!define APP_NAME "Ecert Desktop"
!define APP_ID "EcertDesktop"
!define PUBLISHER "Ecert Desktop contributors"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\${APP_ID}"
; The WebView2 runtime's client id, the same for every Evergreen install.
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!ifndef VERSION | APP_EXE | CLI_EXE | ICON | OUTFILE | LICENSE_FILE | VERSION4
  !error "package.sh gives VERSION, VERSION4, APP_EXE, CLI_EXE, ICON, OUTFILE and LICENSE_FILE"
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"

!ifdef SIGN_CMD
  !uninstfinalize '${SIGN_CMD} "%1"'
!endif

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT License, ${PUBLISHER}"

; Per user or per machine. The registry remembers the choice and the folder, so an
; update installs over the previous one.
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODEPAGE
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include FileFunc.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\ecert-desktop.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${LICENSE_FILE}"
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Fairtrade's four languages; Windows' own language picks one.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Spanish"
!insertmacro MUI_LANGUAGE "Portuguese"

LangString NeedWebView2 ${LANG_ENGLISH} "Ecert Desktop draws its window with Microsoft Edge WebView2, which is not installed on this computer. Install the WebView2 Runtime from Microsoft (search for $\"WebView2 Runtime$\"), then start Ecert Desktop."
LangString NeedWebView2 ${LANG_FRENCH} "Ecert Desktop affiche sa fenêtre avec Microsoft Edge WebView2, qui n'est pas installé sur cet ordinateur. Installez le « WebView2 Runtime » de Microsoft, puis lancez Ecert Desktop."
LangString NeedWebView2 ${LANG_SPANISH} "Ecert Desktop muestra su ventana con Microsoft Edge WebView2, que no está instalado en este equipo. Instale el «WebView2 Runtime» de Microsoft y luego abra Ecert Desktop."
LangString NeedWebView2 ${LANG_PORTUGUESE} "O Ecert Desktop mostra a sua janela com o Microsoft Edge WebView2, que não está instalado neste computador. Instale o «WebView2 Runtime» da Microsoft e depois abra o Ecert Desktop."
LangString InstallingWebView2 ${LANG_ENGLISH} "Installing Microsoft Edge WebView2…"
LangString InstallingWebView2 ${LANG_FRENCH} "Installation de Microsoft Edge WebView2…"
LangString InstallingWebView2 ${LANG_SPANISH} "Instalando Microsoft Edge WebView2…"
LangString InstallingWebView2 ${LANG_PORTUGUESE} "A instalar o Microsoft Edge WebView2…"

Function .onInit
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; HasWebView2 leaves 1 on the stack when an Evergreen WebView2 runtime is installed
; (machine-wide or for this user), else 0. Microsoft documents these keys; "0.0.0.0"
; means a broken install.
Function HasWebView2
  Push $0
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  SetRegView lastused
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    StrCpy $0 0
  ${Else}
    StrCpy $0 1
  ${EndIf}
  Exch $0
FunctionEnd

Section "Ecert Desktop" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=ecert-desktop.exe" "${APP_EXE}"
  File "/oname=ecert-desktop-cli.exe" "${CLI_EXE}"
  File "/oname=LICENSE.txt" "${LICENSE_FILE}"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\ecert-desktop.exe" "" "$INSTDIR\ecert-desktop.exe" 0

  ; SHCTX is HKLM for all users, HKCU for one (set by MultiUser).
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$\"$INSTDIR\ecert-desktop.exe$\",0"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\" /$MultiUser.InstallMode"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /$MultiUser.InstallMode /S"
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "WebView2" SecWebView2
  SectionIn RO
  ; /NoWebView2: an administrator who deploys the runtime another way (and the tests
  ; under Wine, which has none and no internet for the bootstrapper) skips this step.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/NoWebView2" $R1
  ${IfNot} ${Errors}
    DetailPrint "WebView2: skipped (/NoWebView2)"
    Return
  ${EndIf}
  Call HasWebView2
  Pop $0
  ${If} $0 == 1
    DetailPrint "Microsoft Edge WebView2: installed"
    Return
  ${EndIf}
!ifdef WEBVIEW2_BOOTSTRAPPER
  DetailPrint "$(InstallingWebView2)"
  InitPluginsDir
  File "/oname=$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2_BOOTSTRAPPER}"
  ; The bootstrapper downloads the runtime: it needs the internet once.
  ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
  DetailPrint "WebView2 bootstrapper exit code: $1"
  Call HasWebView2
  Pop $0
  ${If} $0 == 1
    Return
  ${EndIf}
!endif
  MessageBox MB_OK|MB_ICONINFORMATION "$(NeedWebView2)" /SD IDOK
SectionEnd

Section "Uninstall"
  ; Only what the installer put here: the user's data folder stays.
  Delete "$INSTDIR\ecert-desktop.exe"
  Delete "$INSTDIR\ecert-desktop-cli.exe"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${SETTINGS_KEY}"
SectionEnd
