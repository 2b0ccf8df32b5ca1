import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./attendees-page.css";
import "../components/attendee-panel";
import "../components/invitation-dialog";
import "../components/invitation-status";
import type { InvitationStatus } from "../components/invitation-status";
import { LightElement } from "../../kit/light-element";
import { api, selection } from "../context";
import { downloadFile } from "../download";
import { errorMessage } from "../errors";
import { t, tn, type ConsoleKey } from "../i18n";
import { toast } from "../toast";
import { eventPath } from "../routes";
import type { Attendee, ConsoleEvent, InvitationProgress, InvitationsQueued } from "../types";

const PAGE_SIZE = 50;

interface Panel {
  attendee: Attendee | null;
  invite: boolean;
  /** Just added at the door: their join QR and badge come first. */
  walkIn?: boolean;
}

@customElement("rc-attendees-page")
export class AttendeesPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private items: Attendee[] | null = null;
  @state() private total = 0;
  @state() private query = "";
  @state() private error = "";
  @state() private panel: Panel | null = null;
  @state() private selected = new Map<string, string>();
  /** Cursors of the pages before this one; the last is the current page's. */
  @state() private cursors: (string | null)[] = [null];
  @state() private nextCursor: string | null = null;
  @state() private mailConfigured = false;
  @state() private inviting = false;
  private searchTimer = 0;
  private loading: AbortController | null = null;
  private returnFocus: HTMLElement | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.selected = selection(this.event.id);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loading?.abort();
    window.clearTimeout(this.searchTimer);
  }

  private async load(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    try {
      const page = await api.attendees(
        this.event.id,
        { q: this.query, cursor: this.cursors[this.cursors.length - 1] ?? null, limit: PAGE_SIZE },
        controller.signal,
      );
      this.items = page.items;
      this.total = page.total;
      // The open panel follows the row (an invitation's state moves in the background).
      const open = this.panel?.attendee;
      const fresh = open ? page.items.find((a) => a.id === open.id) : undefined;
      if (this.panel && fresh) this.panel = { ...this.panel, attendee: fresh };
      this.nextCursor = page.next_cursor ?? null;
      this.error = "";
    } catch (error) {
      const message = errorMessage(error);
      if (message) this.error = message;
    }
  }

  private search(event: Event): void {
    this.query = (event.target as HTMLInputElement).value.trim();
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => {
      this.cursors = [null];
      void this.load();
    }, 250);
  }

  private page(direction: 1 | -1): void {
    if (direction === 1 && this.nextCursor) this.cursors = [...this.cursors, this.nextCursor];
    if (direction === -1 && this.cursors.length > 1) this.cursors = this.cursors.slice(0, -1);
    void this.load().then(() => this.querySelector<HTMLElement>("#attendee-table")?.focus());
  }

  private toggle(attendee: Attendee, on: boolean): void {
    if (on) this.selected.set(attendee.id, attendee.name);
    else this.selected.delete(attendee.id);
    this.requestUpdate();
  }

  private toggleAll(on: boolean): void {
    for (const attendee of this.items ?? []) this.toggle(attendee, on);
  }

  private open(attendee: Attendee | null, invite = false, from?: Event): void {
    this.returnFocus = (from?.currentTarget as HTMLElement | undefined) ?? null;
    this.panel = { attendee, invite };
  }

  private closed(): void {
    this.panel = null;
    const target = this.returnFocus;
    this.returnFocus = null;
    if (target?.isConnected) target.focus();
  }

  private changed(updated: Attendee): void {
    this.items = (this.items ?? []).map((a) => (a.id === updated.id ? updated : a));
    if (this.panel?.attendee?.id === updated.id) this.panel = { ...this.panel, attendee: updated };
    if (this.selected.has(updated.id)) this.selected.set(updated.id, updated.name);
  }

  private removed(id: string): void {
    this.items = (this.items ?? []).filter((a) => a.id !== id);
    this.total -= 1;
    this.selected.delete(id);
    this.returnFocus = null;
    this.emit("attendees-changed");
  }

  private added(created: Attendee): void {
    this.emit("attendees-changed");
    this.panel = { attendee: created, invite: true, walkIn: true };
    void this.load();
    void this.status()?.refresh();
  }

  private status(): InvitationStatus | null {
    return this.querySelector<InvitationStatus>("rc-invitation-status");
  }

  private async downloadInvites(): Promise<void> {
    // Handing out the links counts as sending them: the rows say so at once.
    if (await downloadFile(api.invitesCsvPath(this.event.id), "join-links.csv")) {
      void this.load();
      void this.status()?.refresh();
    }
  }

  private progressed(progress: InvitationProgress): void {
    this.mailConfigured = progress.mail_configured;
    if (this.items !== null) void this.load();
  }

  private invitationsQueued(event: CustomEvent<InvitationsQueued>): void {
    this.selected.clear();
    this.requestUpdate();
    toast(tn("invitations.queued", event.detail.queued_now));
    void this.load();
    void this.status()?.refresh();
  }

  private renderInvitationState(attendee: Attendee) {
    const state = attendee.invitation_state;
    return html`<span class="chip chip--${state}">${t(`invite.state.${state}` as ConsoleKey)}</span>
      ${state === "failed" || (state === "queued" && attendee.invite_error)
        ? html`<span class="cell-sub invite-error">${t("invite.failed.reason", { reason: attendee.invite_error })}</span>`
        : null}`;
  }

  private renderRow(attendee: Attendee) {
    const checked = this.selected.has(attendee.id);
    return html`<tr>
      <td class="cell-check">
        <input
          type="checkbox"
          id="pick-${attendee.id}"
          .checked=${checked}
          aria-label=${t("attendees.pick", { name: attendee.name })}
          @change=${(e: Event) => this.toggle(attendee, (e.target as HTMLInputElement).checked)}
        />
      </td>
      <th scope="row" class="cell-name">
        <button type="button" class="link-button" dir="auto" @click=${(e: Event) => this.open(attendee, false, e)}>
          ${attendee.name}
        </button>
        <span class="cell-sub">${attendee.email}</span>
      </th>
      <td>
        ${attendee.company}
        ${attendee.job_title ? html`<span class="cell-sub">${attendee.job_title}</span>` : null}
      </td>
      <td class="cell-invite">${this.renderInvitationState(attendee)}</td>
      <td class="col-badge">
        <span class="badge-version" title=${tn("attendees.badge.tooltip", attendee.badge_version)}
          >${t("attendees.badge.version", { n: attendee.badge_version })}<span class="visually-hidden"
            >: ${tn("attendees.badge.tooltip", attendee.badge_version)}</span
          ></span
        >
      </td>
      <td class="cell-actions">
        ${attendee.join_link_used
          ? null
          : html`<button
              type="button"
              class="button button--small"
              aria-label=${t("attendees.invite.for", { name: attendee.name })}
              @click=${(e: Event) => this.open(attendee, true, e)}
            >
              ${t("attendees.invite")}
            </button>`}
        <button
          type="button"
          class="button button--small"
          aria-label=${t("attendees.manage.for", { name: attendee.name })}
          @click=${(e: Event) => this.open(attendee, false, e)}
        >
          ${t("attendees.manage")}
        </button>
      </td>
    </tr>`;
  }

  private renderTable(items: Attendee[]) {
    const allPicked = items.length > 0 && items.every((a) => this.selected.has(a.id));
    const first = (this.cursors.length - 1) * PAGE_SIZE + 1;
    return html`
      <div class="table-wrap">
        <table class="table" id="attendee-table" tabindex="-1" aria-describedby="attendee-count">
          <caption class="visually-hidden">${t("attendees.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" class="cell-check">
                <input
                  type="checkbox"
                  .checked=${allPicked}
                  aria-label=${t("attendees.pickPage")}
                  @change=${(e: Event) => this.toggleAll((e.target as HTMLInputElement).checked)}
                />
              </th>
              <th scope="col">${t("attendees.col.name")}</th>
              <th scope="col">${t("attendees.col.company")}</th>
              <th scope="col">${t("attendees.col.invite")}</th>
              <th scope="col" class="col-badge">${t("attendees.col.badge")}</th>
              <th scope="col"><span class="visually-hidden">${t("attendees.col.actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            ${items.map((attendee) => this.renderRow(attendee))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label=${t("attendees.pages")}>
        <p id="attendee-count" class="muted">
          ${items.length
            ? t("attendees.range", { from: first, to: first + items.length - 1, total: this.total })
            : tn("count.attendees", this.total)}
        </p>
        <div class="pager__buttons">
          <button type="button" class="button" ?disabled=${this.cursors.length <= 1} @click=${() => this.page(-1)}>
            ${t("attendees.previous")}
          </button>
          <button type="button" class="button" ?disabled=${!this.nextCursor} @click=${() => this.page(1)}>
            ${t("attendees.next")}
          </button>
        </div>
      </nav>
    `;
  }

  private renderSelection() {
    const count = this.selected.size;
    if (!count) return null;
    return html`<div class="selection-bar" role="region" aria-label=${t("attendees.selection")}>
      <p><strong>${tn("attendees.selected", count)}</strong></p>
      ${this.mailConfigured
        ? html`<button type="button" class="button button--primary" id="send-invitations" @click=${() => (this.inviting = true)}>
            ${t("invitations.send")}
          </button>`
        : null}
      <a class="button button--primary" href=${eventPath(this.event.id, "badges")}>${t("attendees.selection.badges")}</a>
      <button type="button" class="button button--ghost" @click=${() => { this.selected.clear(); this.requestUpdate(); }}>
        ${t("attendees.selection.clear")}
      </button>
    </div>`;
  }

  private renderInvitationDialog() {
    const ids = [...this.selected.keys()];
    const sample = (this.items ?? []).find((a) => this.selected.has(a.id));
    const sampleId = sample?.id ?? ids[0] ?? "";
    return html`<rc-invitation-dialog
      .eventId=${this.event.id}
      .ids=${ids}
      .count=${ids.length}
      .sampleId=${sampleId}
      .sampleName=${sample?.name ?? this.selected.get(sampleId) ?? ""}
      @invitations-queued=${this.invitationsQueued}
      @closed=${() => (this.inviting = false)}
    ></rc-invitation-dialog>`;
  }

  protected override render() {
    const items = this.items;
    const searching = Boolean(this.query);
    return html`
      <div class="section-head">
        <div>
          <h2 tabindex="-1">${t("nav.attendees")}</h2>
          <p class="muted">${t("attendees.lead")}</p>
        </div>
        <div class="toolbar">
          <a class="button button--primary" href=${eventPath(this.event.id, "import")}>${t("attendees.import")}</a>
          <button type="button" class="button" @click=${(e: Event) => this.open(null, false, e)}>${t("attendees.add")}</button>
          <button type="button" class="button" @click=${this.downloadInvites}>${t("attendees.invitesCsv")}</button>
        </div>
      </div>
      <rc-invitation-status
        .eventId=${this.event.id}
        .sample=${(this.items ?? []).find((a) => a.invitation_state === "pending") ?? null}
        @invitations-progress=${(e: CustomEvent<InvitationProgress>) => this.progressed(e.detail)}
      ></rc-invitation-status>
      <div class="search">
        <label for="attendee-search">${t("attendees.search")}</label>
        <input
          id="attendee-search"
          type="search"
          .value=${this.query}
          placeholder=${t("attendees.search.placeholder")}
          autocomplete="off"
          @input=${this.search}
        />
      </div>
      ${this.renderSelection()}
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : null}
      ${items === null && !this.error ? html`<p class="muted" role="status">${t("common.loading")}</p>` : null}
      ${items && items.length === 0 && !searching
        ? html`<div class="empty card">
            <h3>${t("attendees.empty.title")}</h3>
            <p>${t("attendees.empty.body")}</p>
            <a class="button button--primary" href=${eventPath(this.event.id, "import")}>${t("attendees.import")}</a>
          </div>`
        : null}
      ${items && items.length === 0 && searching
        ? html`<p class="empty-search" role="status">${t("attendees.noMatch", { q: this.query })}</p>`
        : null}
      ${items?.length ? this.renderTable(items) : null}
      <p class="visually-hidden" role="status">${items ? tn("attendees.found", this.total) : ""}</p>
      ${this.panel
        ? html`<rc-attendee-panel
            .eventId=${this.event.id}
            .attendee=${this.panel.attendee}
            .showInvite=${this.panel.invite}
            .walkIn=${this.panel.walkIn ?? false}
            .mailConfigured=${this.mailConfigured}
            @invitations-queued=${() => void this.status()?.refresh()}
            .timeZone=${this.event.timezone}
            @attendee-changed=${(e: CustomEvent<Attendee>) => this.changed(e.detail)}
            @attendee-added=${(e: CustomEvent<Attendee>) => this.added(e.detail)}
            @attendee-removed=${(e: CustomEvent<string>) => this.removed(e.detail)}
            @closed=${this.closed}
          ></rc-attendee-panel>`
        : null}
      ${this.inviting ? this.renderInvitationDialog() : null}
    `;
  }
}
