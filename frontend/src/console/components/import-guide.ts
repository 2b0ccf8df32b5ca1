import { html } from "lit";
import { customElement, property } from "lit/decorators.js";

import "./import-guide.css";
import { api } from "../context";
import { downloadFile } from "../download";
import { lang, t, type ConsoleKey } from "../i18n";
import { LightElement } from "../../kit/light-element";

interface Column {
  field: string;
  /** Headers the import recognises, as a file would spell them (the same in both languages); either group. */
  headers: readonly string[];
  meaning: ConsoleKey;
  required?: boolean;
}

const COLUMNS: readonly Column[] = [
  { field: "name", headers: ["Name, Full name, Nom complet", "First name + Last name, Prénom + Nom"], meaning: "import.guide.name", required: true },
  { field: "email", headers: ["Email, E-mail, Mail, Courriel, Adresse e-mail"], meaning: "import.guide.email", required: true },
  { field: "registration_id", headers: ["Registration ID, Ticket, Attendee ID, ID, N° d'inscription, Billet, Référence"], meaning: "import.guide.registration_id" },
  { field: "company", headers: ["Company, Organisation, Société, Entreprise"], meaning: "import.guide.company" },
  { field: "job_title", headers: ["Job title, Title, Role, Fonction, Poste"], meaning: "import.guide.job_title" },
  { field: "phone", headers: ["Phone, Mobile, Téléphone, Tél, Portable"], meaning: "import.guide.phone" },
  { field: "website", headers: ["Website, URL, Site web"], meaning: "import.guide.website" },
  { field: "linkedin", headers: ["LinkedIn, Profil LinkedIn"], meaning: "import.guide.linkedin" },
];

/** Before a file is chosen: the columns the import reads, what each is for, and a sample to start from. */
@customElement("rc-import-guide")
export class ImportGuide extends LightElement {
  @property() eventId = "";

  private downloadSample(): void {
    const language = lang() === "fr" ? "fr" : "en";
    void downloadFile(api.importSamplePath(this.eventId, language), t("import.guide.sampleName"));
  }

  protected override render() {
    return html`
      <section class="card import-guide" aria-labelledby="import-guide-title">
        <div class="import-guide__head">
          <h3 id="import-guide-title">${t("import.guide.title")}</h3>
          <button type="button" class="button" @click=${this.downloadSample}>${t("import.guide.sample")}</button>
        </div>
        <p class="muted">${t("import.guide.lead")}</p>
        <div class="table-wrap">
          <table class="table table--compact">
            <caption class="visually-hidden">${t("import.guide.title")}</caption>
            <thead>
              <tr>
                <th scope="col">${t("import.guide.col.field")}</th>
                <th scope="col">${t("import.guide.col.headers")}</th>
                <th scope="col">${t("import.guide.col.meaning")}</th>
              </tr>
            </thead>
            <tbody>
              ${COLUMNS.map(
                (column) => html`<tr>
                  <th scope="row">${t(`attendee.field.${column.field}` as ConsoleKey)}${column.required
                    ? html` <span class="import-guide__required">${t("import.guide.required")}</span>`
                    : null}</th>
                  <td class="import-guide__headers">${column.headers.join(` ${t("import.guide.or")} `)}</td>
                  <td>${t(column.meaning)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    `;
  }
}
