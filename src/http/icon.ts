/** A plain shield: Gatehouse's icon, on the account page's tab and the API document's. */
export const ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#2f4858" d="M16 2 4 7v8c0 7.4 5.1 13.6 12 15 6.9-1.4 12-7.6 12-15V7z"/><path fill="#fff" d="M12 14h8v10h-8z"/></svg>',
);
