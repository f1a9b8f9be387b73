// Text into HTML: every plan string (labels, ARNs, statements) is data, never markup.
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON inside <script type="application/json">: "<" escaped so no string can close the element. */
export function jsonScript(id: string, value: unknown): string {
  return `<script type="application/json" id="${esc(id)}">${JSON.stringify(value).replace(/</g, "\\u003c")}</script>`;
}
