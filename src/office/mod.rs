//! Office files as units and users send them: workbooks of every format
//! Excel, WPS and LibreOffice save. Below the content stage (its `来源`
//! tables read workbooks) and the products (returns, progress reports), and
//! knowing neither: it reads cells, bounded, and says in Chinese why a file
//! cannot be read.

pub mod workbook;
