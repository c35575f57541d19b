/** The GFM plugin of turndown kept by Joplin (tables, strikethrough, task lists); it ships no types. */
declare module "@joplin/turndown-plugin-gfm" {
  import type TurndownService from "turndown";
  export const gfm: TurndownService.Plugin;
}
