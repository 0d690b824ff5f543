//! Data URLs: every format is recognised from its bytes and every image header gives its size.

use crate::common::*;
use seedance::dataurl::{self, image_size, sniff, wav_duration, MediaType};

#[test]
fn sniffs_every_format_the_api_takes() {
    let cases: Vec<(Vec<u8>, MediaType)> = vec![
        (png(1, 1), MediaType::Png),
        (jpeg(1, 1, 0), MediaType::Jpeg),
        (webp_vp8(1, 1), MediaType::Webp),
        (gif(1, 1), MediaType::Gif),
        (bmp(1, 1), MediaType::Bmp),
        (tiff(1, 1, true), MediaType::Tiff),
        (tiff(1, 1, false), MediaType::Tiff),
        (mp3(), MediaType::Mp3),
        (wav(0.1), MediaType::Wav),
        (mp4(), MediaType::Mp4),
    ];
    for (bytes, expected) in cases {
        assert_eq!(sniff(&bytes), Some(expected), "{expected:?}");
    }
    assert_eq!(sniff(b"<svg xmlns="), None);
    assert_eq!(sniff(b""), None);
}

#[test]
fn reads_image_sizes_from_headers() {
    assert_eq!(image_size(&png(1920, 1080)), Some((1920, 1080)));
    assert_eq!(image_size(&jpeg(4032, 3024, 0)), Some((4032, 3024)));
    assert_eq!(image_size(&gif(640, 480)), Some((640, 480)));
    assert_eq!(image_size(&bmp(800, -600)), Some((800, 600)));
    assert_eq!(image_size(&webp_vp8(1000, 700)), Some((1000, 700)));
    assert_eq!(image_size(&webp_vp8l(1234, 567)), Some((1234, 567)));
    assert_eq!(image_size(&webp_vp8x(6000, 2400)), Some((6000, 2400)));
    assert_eq!(image_size(&tiff(3000, 2000, true)), Some((3000, 2000)));
    assert_eq!(image_size(&tiff(300, 400, false)), Some((300, 400)));
    // A JPEG whose frame header sits after 100 KB of metadata is still read in full.
    assert_eq!(image_size(&jpeg(500, 400, 100_000)), Some((500, 400)));
    // Truncated headers give no size instead of a wrong one or a panic.
    assert_eq!(image_size(&png(10, 10)[..20]), None);
    assert_eq!(image_size(&jpeg(10, 10, 0)[..22]), None);
}

#[test]
fn reads_wav_length() {
    let secs = wav_duration(&wav(2.5)).unwrap();
    assert!((secs - 2.5).abs() < 1e-9, "{secs}");
    assert_eq!(wav_duration(&mp3()), None);
}

#[test]
fn encodes_and_decodes_with_sniffed_mime() {
    let bytes = png(400, 300);
    let url = dataurl::encode_sniffed(&bytes).unwrap();
    assert!(url.starts_with("data:image/png;base64,iVBORw0KGgo"));
    let parsed = dataurl::parse(&url).unwrap();
    assert_eq!(parsed.media_type(), Some(MediaType::Png));
    assert_eq!(parsed.decoded_len(), bytes.len());
    assert_eq!(parsed.decode(), bytes);
    assert_eq!(&parsed.decode_prefix(8)[..8], &bytes[..8]);

    let err = dataurl::encode_sniffed(b"plain text").unwrap_err();
    assert!(err.to_string().contains("PNG, JPEG"), "{err}");
    let err = dataurl::encode_sniffed(&mp4()).unwrap_err();
    assert!(err.to_string().contains("https:// or asset://"), "{err}");
}

#[test]
fn mime_aliases() {
    assert_eq!(MediaType::from_mime("image/jpg"), Some(MediaType::Jpeg));
    assert_eq!(MediaType::from_mime("IMAGE/PNG"), Some(MediaType::Png));
    assert_eq!(MediaType::from_mime("audio/mp3"), Some(MediaType::Mp3));
    assert_eq!(MediaType::from_mime("audio/x-wav"), Some(MediaType::Wav));
    assert_eq!(MediaType::from_mime("image/svg+xml"), None);
}
