//! Office files as units and users send and open them: workbooks of every
//! format Excel, WPS and LibreOffice save, text files in every encoding
//! they save (GBK, UTF-16, UTF-8 with or without a BOM), CSV, and the folders returns
//! arrive in. Below the content stage (its `来源` tables read workbooks) and
//! the products (forms and returns, task lists and progress reports), and
//! knowing neither: it reads cells, bounded, writes what Excel opens right,
//! and says in Chinese why a file cannot be read.

pub mod csv;
pub mod files;
pub mod package;
pub mod text;
pub mod workbook;
