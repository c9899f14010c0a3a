package io.finegrained.train;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Decodes PNG and JPEG images (javax.imageio) into the unsigned-byte, channel-major pixels of an
 * {@link ImageSet}. Channels follow the config, not the file: a grayscale image gives its own
 * samples to one channel (8-bit gray PNG is lossless: the same bytes as IDX) and the same
 * sample to each of three; a colour image gives its sRGB red, green and blue to three channels
 * and its luminance ({@code 0.299 R + 0.587 G + 0.114 B}, rounded) to one. Alpha is ignored.
 * Sizes are checked, never changed: resizing would be a preprocessing choice the config does
 * not make. Thread-safe.
 */
final class ImageDecoding {
    static {
        ImageIO.setUseCache(false); // decode in memory: no temporary files on an executor's disk
    }

    private ImageDecoding() {
    }

    /** {@code [channels, height, width]} of an image: 1 channel when it is grayscale, else 3. */
    static int[] shapeOf(byte[] encoded, String name) {
        BufferedImage image = decode(encoded, name);
        return new int[] {isGray(image) ? 1 : 3, image.getHeight(), image.getWidth()};
    }

    /** Decodes one image into {@code into[offset .. offset + C*H*W)}, checking its size. */
    static void decodeInto(byte[] encoded, String name, int channels, int height, int width, byte[] into, int offset) {
        BufferedImage image = decode(encoded, name);
        if (image.getHeight() != height || image.getWidth() != width) {
            throw new DatasetException(name + ": the image is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels (width x height); expected " + width + "x" + height + " like the dataset's shape");
        }
        int plane = height * width;
        if (isGray(image)) {
            Raster raster = image.getRaster();
            int bits = image.getColorModel().getComponentSize(0);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int v = raster.getSample(x, y, 0);
                    byte b = (byte) (bits == 8 ? v : Math.round(v * 255.0 / ((1 << bits) - 1)));
                    for (int c = 0; c < channels; c++) {
                        into[offset + c * plane + y * width + x] = b;
                    }
                }
            }
            return;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int at = offset + y * width + x;
                if (channels == 1) {
                    into[at] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    into[at] = (byte) r;
                    into[at + plane] = (byte) g;
                    into[at + 2 * plane] = (byte) b;
                }
            }
        }
    }

    private static BufferedImage decode(byte[] encoded, String name) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(name + ": cannot decode the image (" + e.getMessage() + "); expected a PNG or JPEG image", e);
        }
        if (image == null) {
            throw new DatasetException(name + ": not an image javax.imageio can decode (" + encoded.length
                    + " bytes); expected a PNG or JPEG image");
        }
        return image;
    }

    /** Gray samples, with or without alpha, in a gray colour space (not a palette). */
    private static boolean isGray(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getColorModel().getNumColorComponents() == 1
                && !(image.getColorModel() instanceof java.awt.image.IndexColorModel);
    }
}
