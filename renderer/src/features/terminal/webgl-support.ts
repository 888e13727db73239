// Whether xterm.js should draw with WebGL here: only when a GPU does the work. Never imports node:*, electron or
// backend code.

/** Renderers that emulate a GPU on the CPU (Chromium without a usable GPU falls back to SwiftShader). */
const softwareRenderer = /swiftshader|llvmpipe|softpipe|software|basic render/i;

let gpuWebgl: boolean | undefined;

/**
 * True when WebGL2 exists and runs on a GPU. WebGL emulated on the CPU costs more than xterm's DOM renderer: every
 * frame is rasterised by the GPU process on the CPU (measured with SwiftShader during a flood: 8 CPU seconds per
 * 50 MB against 0.5 with the DOM renderer, and a quarter less throughput). Asked once per page; the probe's context
 * is released at once, since Chromium caps live WebGL contexts.
 */
export function gpuWebglAvailable(): boolean {
  if (gpuWebgl !== undefined) return gpuWebgl;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return (gpuWebgl = false);
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return (gpuWebgl = !softwareRenderer.test(renderer));
}
