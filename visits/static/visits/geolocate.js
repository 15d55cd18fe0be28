// Fill the start form's hidden location fields when the browser allows it (optional).
(function () {
  document.querySelectorAll("form[data-geolocate]").forEach(function (form) {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (position) {
      var set = function (name, value) {
        var input = form.querySelector('input[name="' + name + '"]');
        if (input) input.value = value;
      };
      set("latitude", position.coords.latitude.toFixed(6));
      set("longitude", position.coords.longitude.toFixed(6));
      set("accuracy", Math.round(position.coords.accuracy));
    }, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
