//! The dossier a person hands to a lawyer or a court: a document of
//! headings, paragraphs, tables and graphs, printed as a PDF (French accents
//! and Arabic, right to left, rendered with an embedded DejaVu Sans) and as a
//! CSV of the same tables. It is generated on demand and never kept.
//!
//! What goes in it, and in which words, is the conversation's business
//! (`conversation::dossier`); this module only lays it out.

pub mod pdf;
mod plot;

use crate::chart::ChartLabels;
use crate::stats::MonthlyTable;

/// A document to print.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Its title, on the first page and in the PDF's metadata.
    pub title: String,
    /// What it says, in order.
    pub blocks: Vec<Block>,
}

/// One part of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A section's title.
    Heading(String),
    /// Running text, wrapped to the page.
    Paragraph(String),
    /// A table: a header row, then rows of as many cells.
    Table {
        /// The columns' names.
        header: Vec<String>,
        /// The rows.
        rows: Vec<Vec<String>>,
    },
    /// The monthly graph of a table ([`crate::chart`]). Only in the PDF: the
    /// CSV has its numbers from the table printed beside it.
    Chart {
        /// The months to draw.
        table: MonthlyTable,
        /// The legend's and the axis's words.
        labels: ChartLabels,
    },
}

impl Document {
    /// The tables as one CSV file: for each table, its section's heading on a
    /// line of its own, its header, its rows, then an empty line.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        let mut heading = "";
        for block in &self.blocks {
            match block {
                Block::Heading(text) => heading = text,
                Block::Paragraph(_) | Block::Chart { .. } => {}
                Block::Table { header, rows } => {
                    writer.write_record([heading])?;
                    writer.write_record(header)?;
                    for row in rows {
                        writer.write_record(row)?;
                    }
                    writer.write_record([""])?;
                }
            }
        }
        writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_holds_every_table_under_its_heading() {
        let document = Document {
            title: "Dossier".into(),
            blocks: vec![
                Block::Heading("Vos démarches".into()),
                Block::Paragraph("ignored".into()),
                Block::Table { header: vec!["n°".into(), "date".into()], rows: vec![vec!["1".into(), "22/11/2026, 07:05".into()]] },
            ],
        };
        let csv = String::from_utf8(document.to_csv().unwrap()).unwrap();
        assert_eq!(csv, "Vos démarches\nn°,date\n1,\"22/11/2026, 07:05\"\n\"\"\n");
    }
}
