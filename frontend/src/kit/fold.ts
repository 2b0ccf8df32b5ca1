// The search key the API uses too (rencontre.kit.text.fold): case and accents folded
// away, so "cote" finds "Côté" and "velo" finds "vélo" on the phone as on the server.
export function fold(value: string): string {
  return value.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/ß/g, "ss");
}
