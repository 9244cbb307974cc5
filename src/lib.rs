//! Guichet watches French prefecture booking pages for people who cannot get
//! an appointment, alerts them the moment a slot appears, and keeps every
//! failed probe as dated evidence. It never books for anyone and never solves
//! a captcha: a person does, in chat, and everyone watching gets the result.
//!
//! The domain ([`catalog`], [`outcome`], [`alerts`], [`outage`], [`conversation`],
//! [`prober`], [`checks`], [`evidence`], [`stats`], [`journal`],
//! [`readiness`], [`profile`], [`letters`]) knows nothing of chat networks,
//! HTTP servers or SQL; the [`sites`], [`store`] and [`transport`] modules are
//! the adapters at the edge, with [`dossier`] (PDF and CSV), [`chart`] (the
//! monthly graph, drawn once for SVG and for the PDF) and [`privacy`]
//! (encryption at rest).

#![warn(missing_docs)]

pub mod alerts;
pub mod app;
pub mod bench;
pub mod catalog;
pub mod chart;
pub mod chat;
pub mod checks;
pub mod conversation;
pub mod deadlines;
pub mod delivery;
pub mod demo;
pub mod desk;
pub mod dossier;
pub mod evidence;
pub mod hosts;
pub mod i18n;
pub mod journal;
pub mod letters;
pub mod operator;
pub mod outage;
pub mod outcome;
pub mod privacy;
pub mod prober;
pub mod profile;
pub mod readiness;
pub mod settings;
pub mod simulator;
pub mod sites;
pub mod stats;
pub mod store;
pub mod ticks;
pub mod time;
pub mod transport;
pub mod web;
