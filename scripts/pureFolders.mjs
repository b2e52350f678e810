// The folders under src/ that must never import `vscode` (DESIGN.md, "Layers"). One list for the
// lint rule that enforces it and for mutation testing, which mutates exactly these folders.
export const pureFolders = ['containerd', 'model', 'nerdctl', 'process', 'buildkit', 'debug', 'doctor', 'docker'];
