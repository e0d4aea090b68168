/** The time-slicing driver lives in the platform layer (the summary's merge uses it too); kept here for the HL7 modules. */
export { SLICE_MS, TimeSlices } from '../../platform/timeSlices';
