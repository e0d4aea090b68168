export * from './types';
export { parseNationalId } from './parseNationalId';
export { parsePatientInput, type PatientInput } from './patientInput';
export { sameIdentifier } from './sameIdentifier';
export { formatNationalId } from './formatNationalId';
export { nationalIdKindOfSystem } from './identifierSystems';
export { swedishCheckDigit } from './swedish';
export { norwegianCheckDigits } from './norwegian';
export { finnishCheckCharacter } from './finnish';
