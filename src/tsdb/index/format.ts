/** Constants of the index file format (tsdb/docs/format/index.md), shared by writer and reader. */

export const MAGIC_INDEX = 0xbaaad700;
export const HEADER_LEN = 5;
export const FORMAT_V2 = 2;
/** Series entries start at multiples of this; a series' reference is its offset divided by it. */
export const SERIES_BYTE_ALIGN = 16;
/** Six big-endian u64 section offsets and a CRC32. */
export const TOC_LEN = 6 * 8 + 4;
export const INDEX_FILENAME = "index";
