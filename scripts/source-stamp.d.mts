/** What a build is made from, as one hash (source-stamp.mjs). `root` ends with a slash. */
export function sourceStamp(root: string): string;
/** Whether dist/ was built from the sources as they are now. */
export function buildIsCurrent(root: string): boolean;
