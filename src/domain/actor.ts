/** A person as Teams identified them (the activity's sender), with the name shown at the time. */
export interface Actor {
  readonly aadObjectId: string;
  readonly name: string;
}
