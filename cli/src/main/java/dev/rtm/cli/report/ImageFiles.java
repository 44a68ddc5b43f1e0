package dev.rtm.cli.report;

import dev.rtm.host.RtmException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Images are written in the format their file name's extension names: {@code .png}, {@code .jpg}
 * / {@code .jpeg}, {@code .gif} or {@code .bmp}, to exactly that path. Any other name is refused
 * before any work is done ({@link #check}): a chart is never written as PNG bytes into a
 * {@code .jpg}, nor to a name with {@code .png} appended.
 */
public final class ImageFiles {

    /** The extensions accepted, as the user reads them. */
    public static final String ACCEPTED = ".png, .jpg (.jpeg), .gif or .bmp";

    private ImageFiles() {
    }

    /**
     * The ImageIO format name for {@code file}.
     *
     * @param option the option that named the file, for the message ({@code --plot})
     * @throws RtmException when the extension names no format rtm writes
     */
    public static String check(Path file, String option) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpeg";
            case "gif" -> "gif";
            case "bmp" -> "bmp";
            default -> throw new RtmException(option + " " + file + ": "
                    + (ext.isEmpty() ? "the name has no extension" : "cannot write ." + ext + " images")
                    + "; name the file with " + ACCEPTED);
        };
    }

    /** Writes {@code image} to {@code file} in the format its extension names (see {@link #check}). */
    public static void write(BufferedImage image, Path file, String option) throws IOException {
        String format = check(file, option);
        BufferedImage out = image;
        if (!format.equals("png") && image.getType() != BufferedImage.TYPE_INT_RGB) {
            // JPEG and BMP have no alpha channel: flatten onto white
            out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) { // names the path if it fails
            if (!ImageIO.write(out, format, os)) {
                throw new IOException("no ImageIO writer for " + format);
            }
        }
    }

    /** Writes charts one below the other, as one image. */
    public static void write(List<? extends Chart<?, ?>> charts, Path file, String option) throws IOException {
        check(file, option);
        int width = 0;
        int height = 0;
        for (Chart<?, ?> c : charts) {
            width = Math.max(width, c.getWidth());
            height += c.getHeight();
        }
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (Chart<?, ?> c : charts) {
            g.drawImage(BitmapEncoder.getBufferedImage(c), 0, y, null);
            y += c.getHeight();
        }
        g.dispose();
        write(all, file, option);
    }
}
