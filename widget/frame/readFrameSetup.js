import { parseHashParams } from './parseHashParams.js';
import { readShellConfig } from './readShellConfig.js';

/**
 * What a frame needs before it may do anything: the shell's configuration
 * (readShellConfig), the parent's channel from the URL's fragment
 * (parseHashParams: nonce and claimed origin) and the root element. Null,
 * and the frame does nothing, unless the shell is complete, the page is framed,
 * and the claimed parent origin is one the shell allows. Shared by the frame
 * app (startFrame) and the shell's boot script (bootFirstPaint).
 *
 * @param {Window} win
 * @param {Document} doc
 * @returns {{config: NonNullable<ReturnType<typeof readShellConfig>>, channel: {nonce: string, origin: string}, root: HTMLElement}|null}
 */
export function readFrameSetup(win, doc) {
  const config = readShellConfig(doc);
  const channel = parseHashParams(win.location.hash);
  const root = doc.getElementById('onsite-root');
  if (!config || !channel || !root || win.parent === win) return null;
  return config.allowedOrigins.includes(channel.origin) ? { config, channel, root } : null;
}
