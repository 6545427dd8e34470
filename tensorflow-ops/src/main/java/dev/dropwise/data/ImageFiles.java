package dev.dropwise.data;

import dev.dropwise.util.Errors;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reading PNG and JPEG files for {@link ImageFolder}: header sizes, decoding, resizing, pixel
 * values.
 */
final class ImageFiles {
  private ImageFiles() {}

  /** {@code [height, width]} as the image's header declares them, without decoding its pixels. */
  static int[] dimensions(Path file) throws DataFormatException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new DataFormatException(
            file, "cannot be read as an image (not a PNG or JPEG javax.imageio can decode)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return new int[] {reader.getHeight(0), reader.getWidth(0)};
      } finally {
        reader.dispose();
      }
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(file, "cannot be read as an image: " + Errors.firstLine(e));
    }
  }

  static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  static BufferedImage decode(Path file) throws IOException {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(file, "cannot be read as an image: " + Errors.firstLine(e));
    }
    if (image == null) {
      throw new DataFormatException(
          file, "cannot be read as an image (not a PNG or JPEG javax.imageio can decode)");
    }
    return image;
  }

  static boolean isGrey(BufferedImage image) {
    return image.getColorModel().getNumColorComponents() == 1;
  }

  static BufferedImage resized(BufferedImage image, int height, int width) {
    if (image.getHeight() == height && image.getWidth() == width) {
      return image;
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }

  /** The image's values, row-major, {@code channels} per pixel (1: grey, 3: RGB), 0 to 255. */
  static void pixels(BufferedImage image, int channels, float[] into, int offset) {
    int h = image.getHeight();
    int w = image.getWidth();
    if (channels == 1 && isGrey(image) && image.getRaster().getNumBands() == 1) {
      float[] grey = image.getRaster().getSamples(0, 0, w, h, 0, (float[]) null);
      int bits = image.getColorModel().getComponentSize(0);
      float max = (1 << bits) - 1;
      for (int i = 0; i < grey.length; i++) {
        into[offset + i] = bits == 8 ? grey[i] : Math.round(grey[i] * 255f / max);
      }
      return;
    }
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      int r = (rgb[i] >> 16) & 0xff;
      int g = (rgb[i] >> 8) & 0xff;
      int b = rgb[i] & 0xff;
      if (channels == 1) {
        into[offset + i] = Math.round(0.299f * r + 0.587f * g + 0.114f * b);
      } else {
        into[offset + 3 * i] = r;
        into[offset + 3 * i + 1] = g;
        into[offset + 3 * i + 2] = b;
      }
    }
  }
}
