import { html, nothing } from "lit";

import { ApiError, NetworkError } from "../../kit/api/errors";
import {
  OBJECTIVES,
  objectivesOf,
  SHAREABLE_FIELDS,
  sharedFields,
  type Me,
  type Objective,
  type PublicCard,
  type SharedDetail,
  type SharedField,
} from "../../api/types";
import { LightElement } from "../../kit/light-element";
import "../components/passkey-settings";
import "../components/scan-notice-settings";
import "../components/person-card";
import "../components/profile-photo";
import { cleanLines, type WhoToMeet } from "../components/who-to-meet-fields";
import { objectiveLabel } from "../format";
import { t, type MessageKey, problemText } from "../i18n";
import { navigate } from "../routes";
import { setValue } from "../offline/db";
import { api, refreshMe, setState, StoreController } from "../state";
import "./profile.css";

interface Draft {
  pitch: string;
  objectives: Objective[];
  objective_other: string;
  interests: string[];
  shared_fields: SharedField[];
  phone: string;
  website: string;
  linkedin: string;
  whoToMeet: WhoToMeet;
}

function draftOf(me: Me): Draft {
  return {
    pitch: me.pitch ?? "",
    objectives: objectivesOf(me.objectives),
    objective_other: me.objective_other ?? "",
    interests: [...me.interests],
    shared_fields: sharedFields(me),
    phone: me.phone ?? "",
    website: me.website ?? "",
    linkedin: me.linkedin ?? "",
    whoToMeet: { offers: [...me.offers], seeks: [...me.seeks], open_to_chat: me.open_to_chat, directory_opt_in: me.directory_opt_in },
  };
}

const MAX_INTERESTS = 12;

/** The profile step after joining, and the profile editor later: with a live preview of one's card. */
export class ProfilePage extends LightElement {
  static override properties = {
    welcome: { type: Boolean },
    draft: { state: true },
    saving: { state: true },
    message: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
  };

  welcome = false;
  draft: Draft | null = null;
  saving = false;
  message = "";
  error = "";
  fieldErrors: Record<string, string> = {};
  private readonly store = new StoreController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    const me = this.store.value.me;
    if (me) this.draft = draftOf(me);
    void refreshMe().then((fresh) => {
      if (fresh && !this.draft) this.draft = draftOf(fresh);
    });
  }

  private change<K extends keyof Draft>(key: K, value: Draft[K]): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, [key]: value };
    this.message = "";
  }

  private addInterest(input: HTMLInputElement): void {
    const value = input.value.trim().replace(/\s+/g, " ").slice(0, 40);
    if (!value || !this.draft) return;
    if (!this.draft.interests.some((i) => i.toLowerCase() === value.toLowerCase()) && this.draft.interests.length < MAX_INTERESTS) {
      this.change("interests", [...this.draft.interests, value]);
    }
    input.value = "";
  }

  private toggleShared(field: SharedField, on: boolean): void {
    if (!this.draft) return;
    const rest = this.draft.shared_fields.filter((f) => f !== field);
    this.change("shared_fields", on ? [...rest, field] : rest);
  }

  private preview(me: Me, draft: Draft): PublicCard {
    const card: PublicCard = {
      name: me.name,
      company: me.company,
      job_title: me.job_title,
      pitch: draft.pitch,
      objectives: draft.objectives,
      objective_other: draft.objectives.includes("other") ? draft.objective_other : "",
      interests: draft.interests,
      offers: cleanLines(draft.whoToMeet.offers),
      seeks: cleanLines(draft.whoToMeet.seeks),
      open_to_chat: draft.whoToMeet.open_to_chat,
    };
    for (const field of draft.shared_fields) {
      if (field === "photo") card.photo = me.photo ?? null;
      else card[field] = field === "email" ? me.email : draft[field];
    }
    return card;
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.draft || this.saving) return;
    this.saving = true;
    this.error = "";
    this.fieldErrors = {};
    try {
      const { whoToMeet, ...draft } = this.draft;
      const me = await api.updateMe({
        ...draft,
        pitch: draft.pitch.trim(),
        objective_other: draft.objectives.includes("other") ? draft.objective_other.trim() : "",
        ...whoToMeet,
        offers: cleanLines(whoToMeet.offers),
        seeks: cleanLines(whoToMeet.seeks),
      });
      await setValue("me", me);
      setState({ me });
      this.draft = draftOf(me);
      this.message = t("profile.saved");
      if (this.welcome) navigate("/", { replace: true });
    } catch (error) {
      if (error instanceof ApiError) {
        this.error = problemText(error);
        this.fieldErrors = Object.fromEntries(error.errors.map((e) => [e.field.split(".").pop() ?? e.field, e.message]));
      } else {
        this.error = error instanceof NetworkError ? t("error.offline") : t("error.generic");
      }
    } finally {
      this.saving = false;
    }
  }

  private fieldError(name: string) {
    const message = this.fieldErrors[name];
    return message ? html`<span class="field-error" id=${`${name}-error`}>${message}</span>` : nothing;
  }

  private toggleObjective(objective: Objective, on: boolean): void {
    if (!this.draft) return;
    const rest = this.draft.objectives.filter((o) => o !== objective);
    this.change("objectives", on ? [...rest, objective] : rest);
  }

  /** The photo was added or removed (it is saved at once, apart from the form). */
  private photoChanged(me: Me): void {
    if (!this.draft) return;
    // A first photo is shared by the server: the switch below shows it, the rest of the draft stays.
    const photoShared = me.shared_fields.includes("photo");
    const rest = this.draft.shared_fields.filter((f) => f !== "photo");
    this.draft = { ...this.draft, shared_fields: photoShared ? [...rest, "photo"] : rest };
  }

  private renderObjectives(draft: Draft) {
    const other = draft.objectives.includes("other");
    return html`
      <fieldset class="objective">
        <legend>${t("profile.objective")}</legend>
        <p class="field-hint">${t("profile.objectives.hint")}</p>
        <div class="chip-row">
          ${OBJECTIVES.map(
            (objective) => html`
              <label class="chip-radio">
                <input
                  type="checkbox"
                  name="objectives"
                  .value=${objective}
                  .checked=${draft.objectives.includes(objective)}
                  @change=${(e: Event) => this.toggleObjective(objective, (e.target as HTMLInputElement).checked)}
                />
                <span>${objectiveLabel(objective)}</span>
              </label>
            `,
          )}
        </div>
        ${other
          ? html`<div class="field objective-other">
              <label class="field-label" for="profile-objective-other">${t("profile.objective.otherWords")}</label>
              <input
                id="profile-objective-other"
                name="objective_other"
                maxlength="60"
                aria-describedby="objective-other-hint"
                .value=${draft.objective_other}
                @input=${(e: Event) => this.change("objective_other", (e.target as HTMLInputElement).value)}
              />
              <span class="field-hint" id="objective-other-hint">${t("profile.objective.otherHint")}</span>
              ${this.fieldError("objective_other")}
            </div>`
          : nothing}
      </fieldset>
    `;
  }

  private renderEmailTip(draft: Draft) {
    if (draft.shared_fields.includes("email")) return nothing;
    return html`<div class="notice info email-tip" role="note">
      <p>${t("profile.email.suggest")}</p>
      <button type="button" class="button secondary" @click=${() => this.toggleShared("email", true)}>
        ${t("profile.email.suggest.action")}
      </button>
    </div>`;
  }

  private renderShared(me: Me, draft: Draft) {
    return SHAREABLE_FIELDS.filter((field) => field !== "photo" || me.photo).map((field) => {
      const on = draft.shared_fields.includes(field);
      if (field === "photo") {
        return html`<div class="share-row">
          <label class="check">
            <input type="checkbox" name="share-photo" .checked=${on} @change=${(e: Event) => this.toggleShared(field, (e.target as HTMLInputElement).checked)} />
            <span>${t("profile.field.photo")}</span>
          </label>
        </div>`;
      }
      return this.renderDetail(me, draft, field, on);
    });
  }

  private renderDetail(me: Me, draft: Draft, field: SharedDetail, on: boolean) {
    const label = t(`profile.field.${field}` as MessageKey);
    return html`
      <div class="share-row">
        <label class="check">
          <input type="checkbox" .checked=${on} @change=${(e: Event) => this.toggleShared(field, (e.target as HTMLInputElement).checked)} />
          <span>${label}${field === "email" ? html` <span class="muted">${me.email}</span>` : nothing}</span>
        </label>
        ${field === "email"
          ? nothing
          : html`<div class="field compact">
              <label class="visually-hidden" for=${`profile-${field}`}>${t(`profile.${field}` as MessageKey)}</label>
              <input
                id=${`profile-${field}`}
                name=${field}
                type=${field === "phone" ? "tel" : "url"}
                inputmode=${field === "phone" ? "tel" : "url"}
                autocomplete=${field === "phone" ? "tel" : "url"}
                placeholder=${t(`profile.${field}` as MessageKey)}
                maxlength=${field === "phone" ? 40 : 200}
                .value=${draft[field]}
                @input=${(e: Event) => this.change(field, (e.target as HTMLInputElement).value)}
              />
              ${this.fieldError(field)}
            </div>`}
      </div>
    `;
  }

  protected override render() {
    const me = this.store.value.me;
    const draft = this.draft;
    if (!me || !draft) return html`<h1 tabindex="-1">${t("profile.title")}</h1><div class="spinner" role="status"></div>`;
    return html`
      <header class="page-head">
        <p class="eyebrow">${me.event.name}</p>
        <h1 tabindex="-1">${this.welcome ? t("profile.welcome", { name: me.name }) : t("profile.title")}</h1>
        ${this.welcome ? html`<p class="lead">${t("profile.intro")}</p>` : nothing}
      </header>
      <rc-profile-photo .me=${me} @photo-changed=${(e: CustomEvent<Me>) => this.photoChanged(e.detail)}></rc-profile-photo>
      <form class="profile-form" @submit=${(e: Event) => this.save(e)} novalidate>
        <div class="field">
          <label class="field-label" for="profile-pitch">${t("profile.pitch")}</label>
          <textarea
            id="profile-pitch"
            name="pitch"
            rows="3"
            maxlength="280"
            aria-describedby="pitch-hint"
            .value=${draft.pitch}
            @input=${(e: Event) => this.change("pitch", (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          <span class="field-hint" id="pitch-hint">${t("profile.pitch.hint")} (${draft.pitch.length}/280)</span>
          ${this.fieldError("pitch")}
        </div>

        ${this.renderObjectives(draft)}

        <fieldset class="interests">
          <legend>${t("profile.interests")}</legend>
          ${draft.interests.length
            ? html`<ul class="chip-row" aria-label=${t("profile.interests")}>
                ${draft.interests.map(
                  (interest) => html`<li class="chip removable">
                    <span>${interest}</span>
                    <button
                      type="button"
                      aria-label=${t("profile.interests.remove", { name: interest })}
                      @click=${() => this.change("interests", draft.interests.filter((i) => i !== interest))}
                    >×</button>
                  </li>`,
                )}
              </ul>`
            : nothing}
          <div class="inline-field">
            <input
              id="new-interest"
              aria-label=${t("profile.interests.new")}
              aria-describedby="interests-hint"
              maxlength="40"
              enterkeyhint="done"
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === "Enter" || e.key === ",") {
                  e.preventDefault();
                  this.addInterest(e.target as HTMLInputElement);
                }
              }}
            />
            <button type="button" class="button secondary" @click=${() => this.addInterest(this.querySelector<HTMLInputElement>("#new-interest")!)}>
              ${t("profile.interests.add")}
            </button>
          </div>
          <span class="field-hint" id="interests-hint">${t("profile.interests.hint")}</span>
        </fieldset>

        <fieldset class="shared">
          <legend>${t("profile.shared")}</legend>
          <p class="field-hint">${t("profile.shared.hint")}</p>
          ${this.renderShared(me, draft)}
          ${this.renderEmailTip(draft)}
        </fieldset>

        <rc-who-to-meet-fields
          .value=${draft.whoToMeet}
          .errors=${this.fieldErrors}
          @who-to-meet-change=${(e: CustomEvent<WhoToMeet>) => this.change("whoToMeet", e.detail)}
        ></rc-who-to-meet-fields>

        <section class="preview" aria-labelledby="preview-title" aria-describedby="preview-hint">
          <h2 id="preview-title">${t("profile.preview")}</h2>
          <p class="field-hint" id="preview-hint">${t("profile.preview.hint")}</p>
          <rc-person-card .card=${this.preview(me, draft)} heading-level="3"></rc-person-card>
        </section>

        ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
        ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
        <div class="form-actions">
          <button type="submit" class="button primary large" ?disabled=${this.saving}>
            ${this.welcome ? t("profile.continue") : t("profile.save")}
          </button>
        </div>
      </form>
      ${this.welcome ? nothing : html`<rc-passkey-settings></rc-passkey-settings>`}
      ${this.welcome ? nothing : html`<rc-scan-notice-settings></rc-scan-notice-settings>`}
    `;
  }
}
customElements.define("page-profile", ProfilePage);
