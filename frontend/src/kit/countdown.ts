import { html } from "lit";

import { LightElement } from "./light-element";
import { formatCountdown, secondsLeft, type ClockReading } from "./session-clock";

/**
 * A session's time left, counted down on this device from the server's clock (the clock
 * plus this device's offset to the server): the wall screen and every phone agree.
 * Without a clock that runs it shows nothing; paused, the time left stays still.
 */
export class Countdown extends LightElement {
  static override properties = { clock: { attribute: false }, offset: { type: Number } };

  clock: ClockReading | null = null;
  /** Server clock minus this device's clock, in milliseconds. */
  offset = 0;
  private timer = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    // A few ticks a second keep the displayed second within a quarter of the true one.
    this.timer = window.setInterval(() => this.requestUpdate(), 200);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  protected override render() {
    const left = this.clock ? secondsLeft(this.clock, this.offset) : null;
    if (left === null) return html``;
    return html`<span class="countdown-digits" data-seconds-left=${left.toFixed(2)}>${formatCountdown(left)}</span>`;
  }
}
customElements.define("rc-countdown", Countdown);
