/** Config as code: monitors declared in the monitors file are read-only in the UI. */
export interface Owned {
  managed_by?: string | null
}

/** True when the monitors file owns the object (the API refuses edits and deletes). */
export function isFileManaged(o: Owned | null | undefined): boolean {
  return o?.managed_by === 'file'
}
