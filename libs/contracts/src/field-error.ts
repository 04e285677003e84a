/** A field at fault and what is wrong with it; never the value itself (it may be personal data). */
export interface FieldError {
  field: string;
  messages: string[];
  /** The field is not in the contract: its name came from the sender and may itself be personal data. */
  unknown?: true;
}
