// Maps, as progressive enhancement (Leaflet, served with the app). On the proposal form, a map
// to pick the project's location: a click fills the latitude and longitude fields, and typing
// in them moves the marker. On the cycle's map and a proposal's page, a marker for each
// [data-map-item] listed on the page. Without JavaScript or tiles, the fields and the lists
// work alone; the map is only shown once this script runs.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function baseMap(element) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    return map;
  }

  function startView(map, element) {
    var center = element.dataset.center.split(",").map(Number);
    map.setView(center, Number(element.dataset.zoom));
  }

  function degrees(input) {
    var value = Number(String(input.value).replace(",", "."));
    return input.value.trim() !== "" && isFinite(value) ? value : null;
  }

  var picker = document.querySelector("[data-map-picker]");
  if (picker) {
    var latitude = document.getElementById("latitude");
    var longitude = document.getElementById("longitude");
    var map = baseMap(picker);
    var marker = null;
    var place = function (point) {
      if (marker) { marker.setLatLng(point); } else { marker = L.marker(point).addTo(map); }
    };
    var typed = function () {
      var lat = degrees(latitude), lon = degrees(longitude);
      return lat !== null && lon !== null ? [lat, lon] : null;
    };
    if (typed()) { place(typed()); map.setView(typed(), 15); } else { startView(map, picker); }
    map.on("click", function (event) {
      place(event.latlng);
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
    });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        if (typed()) { place(typed()); map.panTo(typed()); }
      });
    });
  }

  document.querySelectorAll("[data-proposals-map]").forEach(function (element) {
    var map = baseMap(element);
    var points = [];
    document.querySelectorAll("[data-map-item]").forEach(function (item) {
      var point = [Number(item.dataset.lat), Number(item.dataset.lon)];
      var link = document.createElement("a");
      link.href = item.dataset.url;
      link.textContent = item.dataset.title;
      L.marker(point, { title: item.dataset.title, alt: item.dataset.title })
        .addTo(map).bindPopup(link);
      points.push(point);
    });
    if (points.length) { map.fitBounds(points, { maxZoom: 16, padding: [30, 30] }); }
    else { startView(map, element); }
  });
})();
