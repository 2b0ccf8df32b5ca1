// What stands for a person without a photo: their initials on a colour of their own.

/** Up to two letters: first and last word of the name. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => Array.from(part ?? "")[0]?.toUpperCase() ?? "").join("") || "?";
}

/** A stable colour slot (0–7) from a name, for avatars without inline styles. */
export function colourSlot(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash % 8;
}
