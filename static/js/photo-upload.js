// Field capture (the case and task progress forms): photos larger than the input's data-downscale
// (longest side, px) or than 1 MB are scaled down in the browser before upload, keeping their
// EXIF (taken-at time, GPS) with the orientation reset, since the drawing already applied it.
// The server still checks every file (qianshan/common/uploads.py). No third-party code.
(function () {
  "use strict";
  var BIG_BYTES = 1024 * 1024;
  var QUALITY = 0.85;

  function exifSegment(buffer) {
    // The APP1 "Exif" segment of a JPEG (marker, length and data), or null.
    try {
      var view = new DataView(buffer);
      if (view.getUint16(0) !== 0xffd8) { return null; }
      var offset = 2;
      while (offset + 4 <= view.byteLength) {
        var marker = view.getUint16(offset);
        if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) { return null; }
        var length = view.getUint16(offset + 2);
        if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {
          var segment = new Uint8Array(buffer.slice(offset, offset + 2 + length));
          resetOrientation(segment);
          return segment;
        }
        offset += 2 + length;
      }
    } catch (error) { /* not a JPEG we can read: no EXIF to keep */ }
    return null;
  }

  function resetOrientation(segment) {
    // Orientation (0x0112) of IFD0 set to 1: the pixels were drawn upright already.
    var view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
    var tiff = 10;
    var little = view.getUint16(tiff) === 0x4949;
    var ifd = tiff + view.getUint32(tiff + 4, little);
    var count = view.getUint16(ifd, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, little) === 0x0112) { view.setUint16(entry + 8, 1, little); }
    }
  }

  function load(file) {
    // Decoded without a blob: URL (the Content-Security-Policy allows images from this site only),
    // upright as the camera meant it.
    if (!window.createImageBitmap) { return Promise.reject(new Error("no createImageBitmap")); }
    return createImageBitmap(file);
  }

  function downscale(file, maxSide) {
    if (!/^image\/(jpeg|png|webp|bmp)$/.test(file.type)) { return Promise.resolve(file); }
    return load(file).then(function (image) {
      var width = image.width, height = image.height;
      var scale = Math.min(1, maxSide / Math.max(width, height));
      if (scale === 1 && file.size <= BIG_BYTES) { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) { image.close(); }
      return Promise.all([
        new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); }),
        file.type === "image/jpeg" ? file.arrayBuffer() : Promise.resolve(null),
      ]).then(function (results) {
        var blob = results[0];
        if (!blob) { return file; }
        var exif = results[1] ? exifSegment(results[1]) : null;
        var parts = exif ? [blob.slice(0, 2), exif, blob.slice(2)] : [blob];
        var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
        var smaller = new File(parts, name, { type: "image/jpeg", lastModified: file.lastModified });
        // Scaled down: always the new one; only re-compressed: the new one if it is smaller.
        return scale < 1 || smaller.size < file.size ? smaller : file;
      });
    }).catch(function () { return file; }); // undecodable here: the server decides
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-downscale]") || input.dataset.resized === "1") { return; }
    if (!window.DataTransfer || !input.files.length) { return; }
    var form = input.form;
    var status = document.getElementById(input.id + "-status");
    var buttons = form ? form.querySelectorAll("button[type=submit]") : [];
    form && form.setAttribute("data-busy", "1");
    buttons.forEach(function (b) { b.disabled = true; });
    if (status) { status.textContent = "正在压缩照片……"; }
    var max = parseInt(input.dataset.downscale, 10) || 2560;
    Promise.all(Array.prototype.map.call(input.files, function (f) { return downscale(f, max); }))
      .then(function (files) {
        var transfer = new DataTransfer();
        files.forEach(function (f) { transfer.items.add(f); });
        input.dataset.resized = "1";
        input.files = transfer.files;
        delete input.dataset.resized;
        if (status) {
          status.textContent = "已选择 " + files.length + " 个文件，共 " +
            Math.round(files.reduce(function (n, f) { return n + f.size; }, 0) / 1024) + " KB。";
        }
      })
      .finally(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        form && form.removeAttribute("data-busy");
      });
  });

  // After a refused submit the page opens at the form (#anchor); put the focus on the first field
  // with an error so it is read out and in view, whatever the screen size.
  window.addEventListener("load", function () {
    var field = document.querySelector("form .has-error input, form .has-error textarea, form .has-error select");
    if (!field) { return; }
    var details = field.closest("details");
    if (details) { details.open = true; }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
