/** Rules for accounts, independent of storage and HTTP. */
export const minPasswordLength = 12;
export const maxPasswordLength = 256;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string): string | null {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) return 'That is not an email address.';
  return null;
}

export function passwordProblem(password: string): string | null {
  if (password.length < minPasswordLength) return `A password has at least ${minPasswordLength} characters.`;
  if (password.length > maxPasswordLength) return `A password has at most ${maxPasswordLength} characters.`;
  return null;
}
