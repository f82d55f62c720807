import {
  type CreateDeploymentRequest,
  createDeploymentBody,
  type Deployment,
  maxVariableBytes,
  variableNamePattern,
} from '@streamgate/contract';

/** A variable as the portal returns it: a secret comes back without its value. */
type DeploymentVariable = Deployment['variables'][string];
/** A variable as the portal takes it; a secret without a value keeps the value it had. */
type VariableInput = NonNullable<CreateDeploymentRequest['variables']>[string];

/** One line of the variables editor. */
export type VariableRow = {
  key: string;
  name: string;
  value: string;
  secret: boolean;
  /** The name under which the portal holds a secret value that it never shows back. */
  storedSecretName: string | null;
};

export const MAX_VARIABLES = createDeploymentBody.properties.variables.maxProperties;
const NAME_PATTERN = new RegExp(variableNamePattern);

let counter = 0;
export function newRow(init: Partial<Omit<VariableRow, 'key'>> = {}): VariableRow {
  counter += 1;
  return { key: `var-${counter}`, name: '', value: '', secret: false, storedSecretName: null, ...init };
}

export function rowsOf(variables: Record<string, DeploymentVariable>): VariableRow[] {
  return Object.entries(variables).map(([name, v]) =>
    newRow({
      name,
      value: v.secret ? '' : (v.value ?? ''),
      secret: v.secret,
      storedSecretName: v.secret ? name : null,
    }),
  );
}

/** A secret left empty keeps the value the portal has, if it has one under this very name. */
export function keepsStoredSecret(row: VariableRow): boolean {
  return row.secret && row.value === '' && row.storedSecretName !== null && row.storedSecretName === row.name;
}

export function nameProblem(name: string): string | null {
  if (!NAME_PATTERN.test(name)) return 'Letters, digits and "_", not starting with a digit (up to 128)';
  if (name.startsWith('Quix__')) return 'Quix__ variables are set by the platform';
  return null;
}

/** What is wrong with each row (by key), judged before anything is sent. */
export function variableProblems(
  rows: readonly VariableRow[],
): Map<string, { name?: string; value?: string }> {
  const problems = new Map<string, { name?: string; value?: string }>();
  const seen = new Set<string>();
  for (const row of rows) {
    const p: { name?: string; value?: string } = {};
    const name = row.name.trim();
    const blank = name === '' && row.value === '';
    if (!blank) {
      p.name = nameProblem(name) ?? (seen.has(name) ? 'This name is used twice' : undefined);
      seen.add(name);
    }
    if (new TextEncoder().encode(row.value).length > maxVariableBytes)
      p.value = `Up to ${maxVariableBytes / 1024} KiB`;
    else if (row.storedSecretName !== null && row.value === '' && !keepsStoredSecret(row)) {
      p.value = row.secret
        ? 'Type the value again: the stored one belongs to the old name'
        : 'Type the value: a secret is never shown back';
    } else if (row.secret && row.value === '' && row.storedSecretName === null && !blank) {
      p.value = 'Give the secret a value';
    }
    if (p.name || p.value) problems.set(row.key, p);
  }
  return problems;
}

/** The `variables` of a create or update request; empty rows are left out. */
export function variablesPayload(rows: readonly VariableRow[]): Record<string, VariableInput> {
  const out: Record<string, VariableInput> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '' && row.value === '') continue;
    if (keepsStoredSecret(row)) out[name] = { secret: true };
    else if (row.secret) out[name] = { value: row.value, secret: true };
    else out[name] = row.value;
  }
  return out;
}
