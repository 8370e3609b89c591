//! OLE compound files (legacy XLS and DOC, and the wrapper of an encrypted
//! OOXML package): recognised by their magic bytes, never parsed here.

/// The first eight bytes of every OLE compound file.
pub const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes are an OLE compound file (XLS, DOC, or an encrypted
/// OOXML package).
pub fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE_MAGIC)
}

/// Whether an OLE compound file is an encrypted OOXML package (its directory
/// names the `EncryptedPackage` stream, in UTF-16).
pub fn is_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    memchr::memmem::find(bytes, &name).is_some()
}
