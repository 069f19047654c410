// Loads the wasm UI (a module file, so the strict CSP needs no inline script).
import init from './ui.js';
init({ module_or_path: './ui_bg.wasm' });
