/** Push tokens: generated in the browser, shown as the URL a service calls. */

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** 32 URL-safe characters from the browser's CSPRNG (64 symbols, so no modulo bias). */
export function generatePushToken(length = 32): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let token = ''
  for (const byte of bytes) token += TOKEN_ALPHABET[byte & 63]
  return token
}

export function pushUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/api/v1/push/${token}?status=up&msg=OK&ping=`
}
