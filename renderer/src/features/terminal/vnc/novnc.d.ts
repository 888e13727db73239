// Types for the part of noVNC's RFB client (@novnc/novnc, plain JavaScript) that the VNC console uses.
declare module '@novnc/novnc' {
  /** A WebSocket, or anything shaped like one (noVNC checks these properties). */
  export interface RfbChannel {
    binaryType: string;
    protocol: string;
    readyState: number | string;
    send(data: ArrayBuffer | Uint8Array): void;
    close(): void;
    onopen: ((event: Event) => void) | null;
    onmessage: ((event: { data: ArrayBuffer }) => void) | null;
    onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
    onerror: ((event: Event) => void) | null;
  }

  export interface RfbOptions {
    shared?: boolean;
    credentials?: { username?: string; password?: string; target?: string };
    wsProtocols?: string[];
  }

  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | RfbChannel, options?: RfbOptions);
    scaleViewport: boolean;
    clipViewport: boolean;
    resizeSession: boolean;
    viewOnly: boolean;
    focusOnClick: boolean;
    background: string;
    qualityLevel: number;
    compressionLevel: number;
    disconnect(): void;
    sendCtrlAltDel(): void;
    sendKey(keysym: number, code: string | null, down?: boolean): void;
    sendCredentials(credentials: { username?: string; password?: string; target?: string }): void;
    focus(options?: FocusOptions): void;
    blur(): void;
  }
}
