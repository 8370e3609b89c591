//! Workbooks: XLSX/XLSM redacted inside the package ([`xlsx`]), XLS, XLSB
//! and ODS written anew as XLSX ([`convert`]), and the sheet-name and
//! cell-reference rules both write by ([`names`]).

pub mod convert;
pub mod names;
pub mod xlsx;
