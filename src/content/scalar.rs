//! One way to read what the content writes either as one value or as a map
//! of fields: a table cell (text, or {文字, 跨行, 跨列}), a 来源 (a file name,
//! or {文件, 工作表, …}), a 列类型 (计数, or {计算: …}). Numbers and 是/否
//! written without quotes are taken as the text they show.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// A value written as one scalar or as a map of fields.
pub trait ScalarOrMap: Sized {
    /// What may be written, for the error message.
    const EXPECTING: &'static str;
    /// The fields of the map form.
    type Fields: DeserializeOwned;
    fn from_scalar(text: String) -> Result<Self, String>;
    fn from_fields(fields: Self::Fields) -> Result<Self, String>;
}

/// Deserializes a `T` from its scalar or its map form.
pub fn scalar_or_map<'de, D: Deserializer<'de>, T: ScalarOrMap>(d: D) -> Result<T, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: ScalarOrMap> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            T::from_scalar(v.to_string()).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
            self.visit_str(if v { "是" } else { "否" })
        }
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            self.visit_str("")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let fields = T::Fields::deserialize(de::value::MapAccessDeserializer::new(map))?;
            T::from_fields(fields).map_err(de::Error::custom)
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// Text, or a number or 是/否 written without quotes, as the text it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar(pub String);

/// No map form: a map is refused with what may be written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

impl ScalarOrMap for Scalar {
    const EXPECTING: &'static str = "文字或数字";
    type Fields = NoFields;
    fn from_scalar(text: String) -> Result<Self, String> {
        Ok(Scalar(text))
    }
    fn from_fields(_: NoFields) -> Result<Self, String> {
        Err(format!("应为{}", Self::EXPECTING))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar_or_map(d)
    }
}
