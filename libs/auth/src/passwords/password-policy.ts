/** Server-side password rules beyond the DTO's length check; returns field errors. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < 8 || password.length > 128) {
    problems.push('password must be 8 to 128 characters long');
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    problems.push('password must not be the email address');
  }
  return problems;
}
