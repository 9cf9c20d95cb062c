@echo off
rem pwbridge on Windows: runs the CLI next to this file with the Node the package installed (..\node.exe).
"%~dp0..\node.exe" "%~dp0pwbridge" %*
