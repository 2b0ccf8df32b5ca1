import { html, nothing, type PropertyValues } from "lit";

import { LightElement } from "../../kit/light-element";
import { lang, onLangChange, t } from "../i18n";
import { api } from "../state";
import "./conversation-prompts.css";

/**
 * Two or three questions to start a conversation ("posez des questions"), made by the server
 * from the card the reader may see. Given as `prompts`, or fetched for `attendee-id` (after a
 * scan); offline or refused, it shows nothing. `about` names the person when several are in
 * view (a table of three).
 */
export class ConversationPrompts extends LightElement {
  static override properties = {
    prompts: { attribute: false },
    attendeeId: { type: String, attribute: "attendee-id" },
    about: { type: String },
    fetched: { state: true },
  };

  prompts: string[] | null = null;
  attendeeId = "";
  about = "";
  fetched: string[] = [];
  private stopLang: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopLang = onLangChange(() => void this.load());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopLang?.();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("attendeeId") && this.attendeeId && this.prompts === null) void this.load();
  }

  private async load(): Promise<void> {
    if (!this.attendeeId || this.prompts !== null) return;
    try {
      this.fetched = (await api.personPrompts(this.attendeeId, lang())).prompts;
    } catch {
      this.fetched = [];
    }
  }

  protected override render() {
    const prompts = this.prompts ?? this.fetched;
    if (!prompts.length) return nothing;
    const title = this.about ? t("prompts.titleFor", { name: this.about }) : t("prompts.title");
    return html`<aside class="conversation-prompts" aria-label=${title}>
      <p class="prompts-title">${title}</p>
      <ul>
        ${prompts.map((prompt) => html`<li>${prompt}</li>`)}
      </ul>
    </aside>`;
  }
}
customElements.define("rc-conversation-prompts", ConversationPrompts);
