import { html, nothing } from "lit";

import type { NextStep } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { formatMoment } from "../format";
import { t, plural } from "../i18n";
import { api, getState } from "../state";
import "./next-step.css";

/**
 * On the contacts page: the next steps other people proposed that wait for an answer, each
 * a link to its contact. It tells the page which contacts to mark (`next-steps-awaiting`,
 * their contact ids). Needs the network; offline it shows nothing rather than an old list.
 */
export class NextStepInbox extends LightElement {
  static override properties = {
    awaiting: { state: true },
  };

  awaiting: NextStep[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const { items } = await api.nextSteps();
      this.awaiting = items.filter((step) => step.awaiting_me);
    } catch {
      this.awaiting = [];
    }
    const ids = new Set(this.awaiting.map((step) => step.contact_id));
    this.dispatchEvent(new CustomEvent<Set<string>>("next-steps-awaiting", { detail: ids, bubbles: true }));
  }

  protected override render() {
    if (!this.awaiting.length) return nothing;
    const timeZone = getState().me?.event.timezone;
    return html`<section class="next-step-inbox card" aria-labelledby="next-step-inbox-title">
      <h2 id="next-step-inbox-title">${plural(this.awaiting.length, "nextstep.inbox.one", "nextstep.inbox.many")}</h2>
      <ul>
        ${this.awaiting.map(
          (step) => html`<li>
            <a class="next-step-inbox-row" href=${`/contacts/${encodeURIComponent(step.contact_id)}`}>
              <span class="contact-name">${step.person.name}</span>
              <span class="next-step-inbox-what"
                >${t(`nextstep.kind.${step.current.kind}`)}${step.current.starts_at ? ` · ${formatMoment(step.current.starts_at, timeZone)}` : ""}</span
              >
              <span class="badge proposal">${t("nextstep.answer")}</span>
            </a>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}
customElements.define("rc-next-step-inbox", NextStepInbox);
