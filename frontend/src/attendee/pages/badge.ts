import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import { sharedFields, type AccessNotice, type BadgeInfo, type Me, type PublicCard } from "../../api/types";
import { reissueText } from "../components/access-notice";
import { LightElement } from "../../kit/light-element";
import "../components/person-card";
import "../components/qr-code";
import "../../kit/avatar";
import { confirmAction } from "../confirm";
import { t, problemText } from "../i18n";
import { saveBlob } from "../../kit/download";
import { getValue, setValue } from "../offline/db";
import { printedShortCode } from "../../kit/scanner/short-code";
import { api, signOut, StoreController } from "../state";
import { navigate } from "../routes";
import "./badge.css";

function ownCard(me: Me): PublicCard {
  const card: PublicCard = {
    name: me.name,
    company: me.company,
    job_title: me.job_title,
    pitch: me.pitch,
    objectives: me.objectives,
    objective_other: me.objective_other,
    interests: me.interests,
  };
  for (const field of sharedFields(me)) {
    if (field === "photo") card.photo = me.photo ?? null;
    else card[field] = me[field];
  }
  return card;
}

/** "My badge": one's own QR to be scanned, one's public card, data export and sign-out. */
export class BadgePage extends LightElement {
  static override properties = {
    badge: { state: true },
    card: { state: true },
    error: { state: true },
    reissues: { state: true },
  };

  /** Every re-issue of this attendee's access, read or not: theirs to see at any time. */
  reissues: AccessNotice[] = [];
  badge: BadgeInfo | null = null;
  card: PublicCard | null = null;
  error = "";
  private readonly store = new StoreController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.badge = (await getValue("badge")) ?? null;
    try {
      this.badge = await api.myBadge();
      await setValue("badge", this.badge);
    } catch {
      // Offline: the saved badge (if any) is still the right one.
    }
    try {
      this.card = await api.myCard();
    } catch {
      this.card = null;
    }
    try {
      this.reissues = await api.accessNotices();
    } catch {
      // Offline: the history shows next time.
    }
  }

  private async exportMine(): Promise<void> {
    this.error = "";
    try {
      const { blob, filename } = await api.download("/api/me/export");
      saveBlob(blob, filename ?? "rencontre-my-data.json");
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    }
  }

  private async signOut(): Promise<void> {
    const waiting = this.store.value.pending;
    if (
      waiting > 0 &&
      !(await confirmAction({ title: t("badge.signout.title"), body: t("badge.signout.confirm"), confirm: t("badge.signout.accept"), danger: true }))
    ) {
      return;
    }
    await signOut();
    navigate("/", { replace: true });
  }

  private async deleteAccount(): Promise<void> {
    const sure = await confirmAction({
      title: t("badge.delete.title"),
      body: t("badge.delete.confirm"),
      confirm: t("badge.delete.accept"),
      danger: true,
    });
    if (!sure) return;
    this.error = "";
    try {
      await api.deleteMe();
      await signOut();
      navigate("/", { replace: true });
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    }
  }

  protected override render() {
    const me = this.store.value.me;
    const card = this.card ?? (me ? ownCard(me) : null);
    return html`
      <header class="page-head">
        ${me ? html`<p class="eyebrow">${me.event.name}</p>` : nothing}
        <h1 tabindex="-1">${t("badge.title")}</h1>
        <p class="lead">${t("badge.intro")}</p>
      </header>
      <div class="my-qr card">
        ${this.badge
          ? html`<rc-qr-code .value=${this.badge.url} label=${t("badge.title")}></rc-qr-code>`
          : html`<p class="muted">${t("badge.unavailable")}</p>`}
        ${this.badge?.short_code
          ? html`<p class="my-short-code">
              <span class="my-short-code-label">${t("badge.code.label")}</span>
              <span class="my-short-code-value" aria-label=${this.badge.short_code.split("").join(" ")}>${printedShortCode(this.badge.short_code)}</span>
            </p>`
          : nothing}
        ${me
          ? html`<div class="my-qr-who">
              <rc-avatar .name=${me.name} .photo=${me.photo?.large ?? null} size="large"></rc-avatar>
              <p class="my-qr-name">${me.name}</p>
            </div>`
          : nothing}
      </div>
      ${card ? html`<section class="own-card" aria-labelledby="own-card-title">
            <h2 id="own-card-title">${t("profile.preview")}</h2>
            <rc-person-card .card=${card} heading-level="3"></rc-person-card>
          </section>` : nothing}
      ${this.reissues.length
        ? html`<section class="card access-history" aria-labelledby="access-history-title">
            <h2 id="access-history-title">${t("access.history.title")}</h2>
            ${this.reissues.map((notice) => reissueText(notice, me?.event.timezone))}
          </section>`
        : nothing}
      <div class="stack-actions">
        <a class="button secondary" href="/profile">${t("badge.edit")}</a>
        <a class="button secondary" href="/my-data">${t("mydata.link")}</a>
        <button type="button" class="button secondary" @click=${() => void this.exportMine()}>${t("badge.export")}</button>
        <button type="button" class="button ghost" @click=${() => void this.signOut()}>${t("badge.signout")}</button>
        <button type="button" class="button danger" @click=${() => void this.deleteAccount()}>${t("badge.delete")}</button>
      </div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
    `;
  }
}
customElements.define("page-badge", BadgePage);
