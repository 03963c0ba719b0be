/** The picture types WhatsApp takes for profiles and groups (the API names them in its 415 too). */
export const PICTURE_ACCEPT = 'image/jpeg,image/png,image/webp';

/** A file's bytes as base64, without the `data:…;base64,` prefix: how the API takes an upload in JSON. */
export const base64Of = async (file: File): Promise<string> => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
};
