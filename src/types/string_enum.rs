//! A string-valued enum with a fallback variant, for fields whose set of values the server
//! may grow. Unknown values decode into the fallback instead of failing, so a new model id,
//! ratio or status never breaks a caller; validation decides whether to accept them.

/// Declare a string enum: named variants with their wire strings, then `..` and the
/// fallback variant `$other(String)`.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
            ..
            $(#[$ometa:meta])*
            $other:ident(String),
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            $(#[$ometa])*
            $other(String),
        }

        impl $name {
            /// Every named value, in the order the API documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::$other(s) => s.as_str(),
                }
            }

            /// Whether this is one of the documented values (not the fallback).
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::$other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )+
                    other => $name::$other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $( $wire => $name::$variant, )+
                    _ => $name::$other(s),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{:?}", self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok($name::from(String::deserialize(d)?))
            }
        }
    };
}

pub(crate) use string_enum;
