export { DiskStorage, type OpenOutcome } from "./disk_storage.js";
export { batchRecordsMax, frameBytesMax, frameHeaderBytes, recordBytesMax } from "./frame.js";
export {
  type DiskStorageOptions,
  defaultDiskStorageOptions,
  type FsyncPolicy,
  type StorageWarn,
} from "./options.js";
export { isPlainSetCommand } from "./plain_set_record.js";
export { type DecodeRecordsOutcome, decodeRecords, encodeRecords } from "./record_codec.js";
export type { Corruption } from "./recovery.js";
