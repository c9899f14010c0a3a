package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Channels follow the config: gray to one or three channels, colour to three or to its luminance; sizes are checked. */
class ImageDecodingTest {
    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    /** A 3x2 colour image: pixel (x, y) = (40x + 10y, 200 - 30x, 7y). */
    private static BufferedImage colour() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                image.setRGB(x, y, (40 * x + 10 * y) << 16 | (200 - 30 * x) << 8 | 7 * y);
            }
        }
        return image;
    }

    @Test
    void colourGivesItsPlanesOrItsLuminance() throws IOException {
        byte[] png = encode(colour(), "png");
        assertArrayEquals(new int[] {3, 2, 3}, ImageDecoding.shapeOf(png, "c.png"));
        byte[] rgb = new byte[18];
        ImageDecoding.decodeInto(png, "c.png", 3, 2, 3, rgb, 0);
        byte[] gray = new byte[6];
        ImageDecoding.decodeInto(png, "c.png", 1, 2, 3, gray, 0);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int r = 40 * x + 10 * y;
                int g = 200 - 30 * x;
                int b = 7 * y;
                int k = y * 3 + x;
                assertEquals(r, rgb[k] & 0xFF);
                assertEquals(g, rgb[6 + k] & 0xFF);
                assertEquals(b, rgb[12 + k] & 0xFF);
                assertEquals(Math.round(0.299 * r + 0.587 * g + 0.114 * b), gray[k] & 0xFF);
            }
        }
    }

    @Test
    void grayFillsEveryChannelAndJpegDecodesClose() throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = new int[16];
        for (int i = 0; i < 16; i++) {
            values[i] = 16 * i;
        }
        image.getRaster().setPixels(0, 0, 4, 4, values);
        byte[] png = encode(image, "png");
        assertArrayEquals(new int[] {1, 4, 4}, ImageDecoding.shapeOf(png, "g.png"));
        byte[] three = new byte[48];
        ImageDecoding.decodeInto(png, "g.png", 3, 4, 4, three, 0);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 16; i++) {
                assertEquals(values[i], three[c * 16 + i] & 0xFF);
            }
        }
        byte[] jpeg = encode(image, "jpeg");
        byte[] one = new byte[16];
        ImageDecoding.decodeInto(jpeg, "g.jpg", 1, 4, 4, one, 0);
        for (int i = 0; i < 16; i++) {
            assertTrue(Math.abs(values[i] - (one[i] & 0xFF)) < 24, "JPEG is lossy, but close: " + i);
        }
    }

    @Test
    void aWrongSizeOrNoImageIsAnErrorNamingIt() throws IOException {
        byte[] png = encode(colour(), "png");
        DatasetException size = assertThrows(DatasetException.class,
                () -> ImageDecoding.decodeInto(png, "x.png", 3, 28, 28, new byte[3 * 28 * 28], 0));
        assertEquals("x.png: the image is 3x2 pixels (width x height); expected 28x28 like the dataset's shape", size.getMessage());
        DatasetException none = assertThrows(DatasetException.class, () -> ImageDecoding.shapeOf(new byte[] {1, 2, 3}, "y.png"));
        assertTrue(none.getMessage().startsWith("y.png: not an image javax.imageio can decode"), none.getMessage());
    }
}
