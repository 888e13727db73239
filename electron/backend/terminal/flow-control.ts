// Flow control for one session: counts output sent but not yet drawn by the renderer, pauses the source above
// the high watermark and resumes it below the low one, so a flood waits for the screen. Plain Node; never imports electron.
import { terminalFlowControl } from '@shared/terminal-api';

export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface FlowControl {
  /** `chars` more characters left the source. */
  produced(chars: number): void;
  /** The renderer has drawn `chars` more characters. */
  acknowledged(chars: number): void;
  readonly unacknowledged: number;
  readonly paused: boolean;
}

export interface Watermarks {
  highWatermark: number;
  lowWatermark: number;
}

export function createFlowControl(source: Pausable, watermarks: Watermarks = terminalFlowControl): FlowControl {
  let unacknowledged = 0;
  let paused = false;
  return {
    produced(chars) {
      unacknowledged += chars;
      if (!paused && unacknowledged > watermarks.highWatermark) {
        paused = true;
        source.pause();
      }
    },
    acknowledged(chars) {
      // A renderer cannot acknowledge more than it was sent; a bad count must not make the window grow.
      unacknowledged = Math.max(0, unacknowledged - chars);
      if (paused && unacknowledged < watermarks.lowWatermark) {
        paused = false;
        source.resume();
      }
    },
    get unacknowledged() {
      return unacknowledged;
    },
    get paused() {
      return paused;
    },
  };
}
