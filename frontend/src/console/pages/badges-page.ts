import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./badges-page.css";
import { MAX_PRINT_SELECTION } from "../api";
import "../components/badge-preview";
import { LightElement } from "../../kit/light-element";
import { api, selection } from "../context";
import { downloadFile } from "../download";
import { t, tn } from "../i18n";
import { eventPath } from "../routes";
import type { Attendee, BadgeLayout, ConsoleEvent } from "../types";

type Scope = "all" | "selected";

@customElement("rc-badges-page")
export class BadgesPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private layout: BadgeLayout = "a6";
  @state() private scope: Scope = "all";
  @state() private busy = false;
  @state() private sample: Attendee | null = null;
  @state() private total: number | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (selection(this.event.id).size) this.scope = "selected";
    void this.loadSample();
  }

  private async loadSample(): Promise<void> {
    const picked = [...selection(this.event.id).keys()][0];
    try {
      const page = await api.attendees(this.event.id, { limit: 1 });
      this.total = page.total;
      this.sample = (picked ? await api.attendee(this.event.id, picked).catch(() => null) : null) ?? page.items[0] ?? null;
    } catch {
      this.sample = null;
    }
  }

  private async download(): Promise<void> {
    const picked = this.scope === "selected" ? [...selection(this.event.id).keys()] : [];
    this.busy = true;
    try {
      const name = `badges-${this.event.slug}-${this.layout}.pdf`;
      await downloadFile(api.badgesPdfPath(this.event.id, this.layout, picked), name);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const picked = selection(this.event.id);
    const count = this.scope === "selected" ? picked.size : this.total ?? this.event.attendee_count;
    const tooMany = this.scope === "selected" && picked.size > MAX_PRINT_SELECTION;
    return html`
      <div class="section-head">
        <div>
          <h2 tabindex="-1">${t("badges.title")}</h2>
          <p class="muted">${t("badges.lead")}</p>
        </div>
      </div>
      <div class="split">
        <form class="card form" @submit=${(e: Event) => { e.preventDefault(); void this.download(); }}>
          <fieldset class="choice">
            <legend>${t("badges.layout")}</legend>
            ${(["a6", "a4"] as const).map(
              (layout) => html`<label class="choice__option">
                <input type="radio" name="layout" value=${layout} .checked=${this.layout === layout}
                  @change=${() => (this.layout = layout)} />
                <span><strong>${t(`badges.layout.${layout}`)}</strong><span class="field__hint">${t(`badges.layout.${layout}.hint`)}</span></span>
              </label>`,
            )}
          </fieldset>
          <fieldset class="choice">
            <legend>${t("badges.scope")}</legend>
            <label class="choice__option">
              <input type="radio" name="scope" value="all" .checked=${this.scope === "all"} @change=${() => (this.scope = "all")} />
              <span><strong>${t("badges.scope.all")}</strong>
                <span class="field__hint">${tn("count.attendees", this.total ?? this.event.attendee_count)}</span></span>
            </label>
            <label class="choice__option">
              <input type="radio" name="scope" value="selected" .checked=${this.scope === "selected"}
                ?disabled=${picked.size === 0} @change=${() => (this.scope = "selected")} />
              <span><strong>${t("badges.scope.selected")}</strong>
                <span class="field__hint">${picked.size
                  ? [...picked.values()].slice(0, 5).join(", ") + (picked.size > 5 ? ` +${picked.size - 5}` : "")
                  : t("badges.scope.none")}</span></span>
            </label>
            <p class="field__hint"><a href=${eventPath(this.event.id, "attendees")}>${t("badges.pickOnList")}</a></p>
          </fieldset>
          <div class="form__actions">
            ${tooMany ? html`<p class="alert" role="alert">${t("badges.tooMany", { max: MAX_PRINT_SELECTION })}</p>` : null}
            <button type="submit" class="button button--primary" ?disabled=${this.busy || count === 0 || tooMany}>
              ${this.busy ? t("badges.preparing") : tn("badges.download", count)}
            </button>
          </div>
          <p class="field__hint">${t("badges.printHint")}</p>
        </form>
        <section class="card badge-sample" aria-labelledby="badge-sample-title">
          <h3 id="badge-sample-title">${t("badges.sample")}</h3>
          ${this.sample
            ? html`<rc-badge-preview .eventId=${this.event.id} .attendeeId=${this.sample.id}
                  .name=${this.sample.name} .version=${this.sample.badge_version}></rc-badge-preview>
                <p class="muted">${this.sample.name}</p>`
            : html`<p class="muted">${t("badges.sample.none")}</p>`}
        </section>
      </div>
    `;
  }
}
