//! LEB128 varints, the integers of the postings chunks (`postings.rs`) and of a shard's
//! part as it is kept in the cache (`part.rs`).

/// Appends `value` as a LEB128 varint.
pub(crate) fn push_varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}
